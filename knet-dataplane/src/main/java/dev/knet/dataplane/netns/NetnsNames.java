package dev.knet.dataplane.netns;

import java.util.regex.Pattern;

/**
 * The naming rule that keeps the host safe: every namespace knet touches is called
 * {@code knet-...}. The root namespace has no name under /run/netns, so it can never match.
 */
public final class NetnsNames {

    public static final String PREFIX = "knet-";
    public static final String RUN_DIR = "/run/netns";
    // what "ip netns add" accepts, minus '/' and '.' so a name can never climb out of /run/netns
    private static final Pattern VALID = Pattern.compile("knet-[A-Za-z0-9][A-Za-z0-9_-]{0,200}");

    private NetnsNames() {
    }

    public static String requireKnet(String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("refusing network namespace \"" + name
                    + "\": knet only touches namespaces named " + PREFIX + "<letters, digits, '-', '_'>");
        }
        return name;
    }

    public static boolean isKnet(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    public static String path(String name) {
        return RUN_DIR + "/" + requireKnet(name);
    }

    /** The namespace name of a path such as /run/netns/knet-a-pod1 (or /var/run/netns/...). */
    public static String fromPath(String path) {
        for (String dir : new String[] {RUN_DIR + "/", "/var" + RUN_DIR + "/"}) {
            if (path != null && path.startsWith(dir)) {
                return requireKnet(path.substring(dir.length()));
            }
        }
        throw new IllegalArgumentException("network namespace path \"" + path + "\" is not under " + RUN_DIR);
    }
}
