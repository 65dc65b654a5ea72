package dev.knet.proxy.route;

/** How RequestRedirect and URLRewrite change the path. */
public sealed interface PathModifier {

    record ReplaceFullPath(String path) implements PathModifier {
    }

    record ReplacePrefixMatch(String prefix) implements PathModifier {
    }

    /**
     * The new path for a request path; matchedPrefix is the PathPrefix value that matched (null
     * when the match was not a prefix, in which case ReplacePrefixMatch leaves the path alone).
     */
    default String apply(String path, String matchedPrefix) {
        return switch (this) {
            case ReplaceFullPath full -> full.path();
            case ReplacePrefixMatch replace -> matchedPrefix == null
                    ? path : replacePrefix(path, matchedPrefix, replace.prefix());
        };
    }

    /** Element-wise: prefix "/foo" with "/bar" turns "/foo/x" into "/bar/x" and "/foo" into "/bar". */
    static String replacePrefix(String path, String prefix, String replacement) {
        String trimmedPrefix = trimTrailingSlash(prefix);
        // after an element-wise prefix match the rest is empty or starts with '/'
        String rest = path.startsWith(trimmedPrefix) ? path.substring(trimmedPrefix.length()) : path;
        String base = trimTrailingSlash(replacement);
        if (rest.isEmpty()) {
            return base.isEmpty() ? "/" : base;
        }
        return base + rest;
    }

    private static String trimTrailingSlash(String s) {
        String t = s == null ? "" : s;
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }
}
