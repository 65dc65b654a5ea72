package dev.knet.proxy.route;

/** A Service port as a backend names it: by number or by the port's name. */
public sealed interface PortRef {

    record Number(int number) implements PortRef {
        @Override
        public String toString() {
            return Integer.toString(number);
        }
    }

    record Named(String name) implements PortRef {
        @Override
        public String toString() {
            return name;
        }
    }
}
