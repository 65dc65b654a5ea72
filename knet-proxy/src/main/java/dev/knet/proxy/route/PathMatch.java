package dev.knet.proxy.route;

import java.util.regex.Pattern;

/**
 * A path condition. Prefix matching is element-wise on '/' boundaries, and a trailing '/' in the
 * rule or the request is ignored: "/aaa/bbb" matches "/aaa/bbb", "/aaa/bbb/" and "/aaa/bbb/c"
 * but not "/aaa/bbbxyz". Everything is case-sensitive.
 */
public sealed interface PathMatch {

    boolean matches(String path);

    /** Precedence class: Exact before RegularExpression before Prefix (lower first). */
    int typeRank();

    /** Length used for "longest path wins". */
    int length();

    record Exact(String value) implements PathMatch {
        @Override
        public boolean matches(String path) {
            return value.equals(path);
        }

        @Override
        public int typeRank() {
            return 0;
        }

        @Override
        public int length() {
            return value.length();
        }
    }

    record Prefix(String value) implements PathMatch {
        public Prefix {
            value = value == null || value.isEmpty() ? "/" : value;
        }

        @Override
        public boolean matches(String path) {
            // compared in place: this runs for every candidate path of every request
            int end = value.length();
            while (end > 0 && value.charAt(end - 1) == '/') {
                end--;
            }
            if (end == 0) {
                return true;
            }
            if (!path.regionMatches(0, value, 0, end)) {
                return false;
            }
            return path.length() == end || path.charAt(end) == '/';
        }

        @Override
        public int typeRank() {
            return 2;
        }

        /** Without a trailing slash, so "/foo/" Prefix ties with "/foo" Exact and Exact wins. */
        @Override
        public int length() {
            return trimTrailingSlash(value).length();
        }

        private static String trimTrailingSlash(String s) {
            int end = s.length();
            while (end > 0 && s.charAt(end - 1) == '/') {
                end--;
            }
            return s.substring(0, end);
        }
    }

    /**
     * Gateway API RegularExpression: a full match with java.util.regex. Its precedence is
     * implementation-specific; knet ranks it after Exact and before PathPrefix, by pattern length.
     */
    record Regex(Pattern pattern) implements PathMatch {
        @Override
        public boolean matches(String path) {
            return pattern.matcher(path).matches();
        }

        @Override
        public int typeRank() {
            return 1;
        }

        @Override
        public int length() {
            return pattern.pattern().length();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Regex r && r.pattern.pattern().equals(pattern.pattern());
        }

        @Override
        public int hashCode() {
            return pattern.pattern().hashCode();
        }
    }
}
