package dev.knet.cli.light;

import java.util.Map;

/**
 * The `knet [--name N] get KIND [-n NS | -A]` command lines the light client answers, parsed strictly: any
 * other word, option spelling or repetition is not understood, and the full CLI (picocli) takes the command,
 * so that no command line means one thing here and another there.
 *
 * @param namespace the -n value as given, or null
 */
public record LightArgs(String clusterName, String kind, String namespace, boolean allNamespaces) {

    /** The parsed command, or null when the light client does not take this command line. */
    public static LightArgs parse(String[] args, Map<String, String> env) {
        String name = null;
        String kind = null;
        String namespace = null;
        boolean all = false;
        boolean get = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String inline = a.startsWith("--name=") ? a.substring(7)
                    : a.startsWith("--namespace=") ? a.substring(12) : null;
            if (a.equals("--name") || a.startsWith("--name=")) {
                String v = inline != null ? inline : i + 1 < args.length ? args[++i] : null;
                if (name != null || !plain(v)) {
                    return null;
                }
                name = v;
            } else if (!get) {
                if (!a.equals("get")) {
                    return null;
                }
                get = true;
            } else if (a.equals("-n") || a.equals("--namespace") || a.startsWith("--namespace=")) {
                String v = inline != null ? inline : i + 1 < args.length ? args[++i] : null;
                if (namespace != null || !plain(v)) {
                    return null;
                }
                namespace = v;
            } else if (a.equals("-A") || a.equals("--all-namespaces")) {
                if (all) {
                    return null;
                }
                all = true;
            } else if (kind == null && plain(a)) {
                kind = a;
            } else {
                return null;
            }
        }
        if (kind == null) {
            return null;
        }
        String cluster = name != null ? name : env.getOrDefault("KNET_CLUSTER", "knet");
        return new LightArgs(cluster, kind, namespace, all);
    }

    /** A value picocli would take as such: present, not empty, not option-like. */
    private static boolean plain(String v) {
        return v != null && !v.isEmpty() && !v.startsWith("-");
    }
}
