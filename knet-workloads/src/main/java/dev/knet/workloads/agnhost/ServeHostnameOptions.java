package dev.knet.workloads.agnhost;

import java.util.List;
import java.util.Map;

/** agnhost serve-hostname's flags. */
public record ServeHostnameOptions(int port, boolean tcp, boolean udp, boolean http, boolean closeEachRequest) {

    static final Map<String, GoFlags.Kind> SPEC = Map.of("tcp", GoFlags.Kind.BOOL, "udp", GoFlags.Kind.BOOL,
            "http", GoFlags.Kind.BOOL, "close", GoFlags.Kind.BOOL, "port", GoFlags.Kind.VALUE);

    public static ServeHostnameOptions parse(List<String> args) throws AgnhostUsageException {
        GoFlags flags = GoFlags.parse(args, SPEC);
        boolean tcp = flags.bool("tcp", false);
        boolean udp = flags.bool("udp", false);
        // agnhost defaults --http to true and refuses it with --tcp/--udp; knet turns HTTP off by
        // default when raw TCP/UDP is asked for, and refuses only an explicit --http with --tcp,
        // the one pair that really collides (both want the same TCP port)
        boolean http = flags.bool("http", !tcp && !udp);
        if (http && tcp) {
            throw new AgnhostUsageException("Can't server TCP/UDP mode and HTTP mode at the same time");
        }
        return new ServeHostnameOptions(flags.integer("port", 9376), tcp, udp, http, flags.bool("close", false));
    }
}
