package dev.knet.policy.cli;

import dev.knet.policy.Protocol;

/**
 * TO[:PORT[/PROTO]] split into destination, port (default 80) and protocol (default TCP), as
 * {@code knet policy check} and {@code knet trace} read it.
 */
public record FlowTarget(String destination, int port, Protocol protocol) {
    public static FlowTarget parse(String text) {
        String rest = text;
        Protocol protocol = Protocol.TCP;
        int port = 80;
        int colon = rest.lastIndexOf(':');
        // an IPv6 literal has colons too: only a trailing :digits[/proto] is a port
        if (colon > 0 && rest.substring(colon + 1).matches("\\d+(/[A-Za-z]+)?")) {
            String portPart = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            int slash = portPart.indexOf('/');
            if (slash >= 0) {
                protocol = Protocol.parse(portPart.substring(slash + 1));
                portPart = portPart.substring(0, slash);
            }
            port = Integer.parseInt(portPart);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " out of range 1-65535");
            }
        }
        return new FlowTarget(rest, port, protocol);
    }
}
