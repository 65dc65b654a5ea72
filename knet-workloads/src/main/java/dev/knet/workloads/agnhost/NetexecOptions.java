package dev.knet.workloads.agnhost;

import java.util.List;
import java.util.Map;

/**
 * agnhost netexec's flags.
 *
 * @param udpListenAddresses empty means every address
 * @param httpOverride       when set, every request is served as a GET of this path and query
 */
public record NetexecOptions(int httpPort, int udpPort, int sctpPort, String httpOverride,
                             List<String> udpListenAddresses) {

    static final Map<String, GoFlags.Kind> SPEC = Map.of(
            "http-port", GoFlags.Kind.VALUE, "udp-port", GoFlags.Kind.VALUE, "sctp-port", GoFlags.Kind.VALUE,
            "http-override", GoFlags.Kind.VALUE, "udp-listen-addresses", GoFlags.Kind.VALUE,
            "tls-cert-file", GoFlags.Kind.VALUE, "tls-private-key-file", GoFlags.Kind.VALUE);

    public NetexecOptions {
        udpListenAddresses = List.copyOf(udpListenAddresses);
    }

    public static NetexecOptions parse(List<String> args) throws AgnhostUsageException {
        GoFlags flags = GoFlags.parse(args, SPEC);
        if (!flags.positional().isEmpty()) {
            throw new AgnhostUsageException("netexec takes no arguments, got " + flags.positional());
        }
        if (!flags.string("tls-cert-file", "").isEmpty()) {
            // HTTPS needs the certificate files of the agnhost image, which knet does not have
            throw new AgnhostUsageException("netexec --tls-cert-file (HTTPS) is not supported by knet's built-in agnhost");
        }
        String addresses = flags.string("udp-listen-addresses", "");
        return new NetexecOptions(flags.integer("http-port", 8080), flags.integer("udp-port", 8081),
                flags.integer("sctp-port", -1), flags.string("http-override", ""),
                addresses.isBlank() ? List.of() : List.of(addresses.split(",")));
    }
}
