package dev.knet.proxy.route;

import java.util.Locale;

/**
 * A host rule: exact ("foo.bar.com"), wildcard ("*.foo.com") or any (empty). Ingress wildcards
 * cover exactly one label; Gateway API wildcards cover one or more labels.
 */
public record HostPattern(String value) {

    public static final HostPattern ANY = new HostPattern("");

    public enum WildcardScope { ONE_LABEL, ANY_LABELS }

    public HostPattern {
        value = value == null ? "" : value.toLowerCase(Locale.ROOT);
    }

    public static HostPattern of(String value) {
        return value == null || value.isEmpty() ? ANY : new HostPattern(value);
    }

    public boolean isAny() {
        return value.isEmpty();
    }

    public boolean isWildcard() {
        return value.startsWith("*.");
    }

    /** ".foo.com" for "*.foo.com". */
    private String suffix() {
        return value.substring(1);
    }

    public boolean matches(String host, WildcardScope scope) {
        if (isAny()) {
            return true;
        }
        if (!isWildcard()) {
            return value.equals(host);
        }
        String suffix = suffix();
        if (!host.endsWith(suffix) || host.length() == suffix.length()) {
            return false;
        }
        String head = host.substring(0, host.length() - suffix.length());
        return scope == WildcardScope.ANY_LABELS || head.indexOf('.') < 0;
    }

    /**
     * Orders patterns from most to least specific: exact hosts first, then wildcards with the
     * longest suffix, then any. Lower is more specific.
     */
    public int specificityRank() {
        if (isAny()) {
            return Integer.MAX_VALUE;
        }
        if (!isWildcard()) {
            return 0;
        }
        return 1_000_000 - value.length();
    }

    @Override
    public String toString() {
        return isAny() ? "*" : value;
    }
}
