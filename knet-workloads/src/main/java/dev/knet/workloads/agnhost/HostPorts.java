package dev.knet.workloads.agnhost;

/** Go's net.JoinHostPort / SplitHostPort, which agnhost's messages and arguments use. */
public final class HostPorts {

    private HostPorts() {
    }

    public static String join(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** host and port of "host:port" or "[v6]:port". */
    public record HostPort(String host, int port) {
    }

    public static HostPort split(String dest) throws AgnhostUsageException {
        int colon = dest.lastIndexOf(':');
        if (colon < 0) {
            throw new AgnhostUsageException("address " + dest + ": missing port in address");
        }
        String host = dest.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new AgnhostUsageException("address " + dest + ": too many colons in address");
        }
        try {
            int port = Integer.parseInt(dest.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new HostPort(host, port);
        } catch (NumberFormatException e) {
            throw new AgnhostUsageException("address " + dest + ": invalid port");
        }
    }
}
