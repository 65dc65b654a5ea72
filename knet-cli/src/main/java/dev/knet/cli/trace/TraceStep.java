package dev.knet.cli.trace;

import java.util.List;

/**
 * One named step of a connection's path, as {@code knet trace} prints it: what happens there and why.
 * The kinds are closed: the path of a connection in the cluster has no other stations.
 */
public sealed interface TraceStep {

    /** The step's name, printed first ("dns", "service", ...). */
    String kind();

    /** What happens at this step, one line each. */
    List<String> lines();

    /** Where the connection starts: a pod (its address and node) or an address outside the pod network. */
    record Source(List<String> lines) implements TraceStep {
        public String kind() {
            return "source";
        }
    }

    /** The names a pod's resolver asks for, in order, and what the cluster zone answers. */
    record Dns(List<String> lines) implements TraceStep {
        public String kind() {
            return "dns";
        }
    }

    /** The Service whose address was dialled: its port, its ready endpoints and how one is chosen. */
    record Service(List<String> lines) implements TraceStep {
        public String kind() {
            return "service";
        }
    }

    /** One destination the connection may reach, the hops to it and each direction's policy verdict. */
    record Endpoint(List<String> lines) implements TraceStep {
        public String kind() {
            return "endpoint";
        }
    }

    /** The connection's outcome over every endpoint. */
    record Result(List<String> lines) implements TraceStep {
        public String kind() {
            return "verdict";
        }
    }
}
