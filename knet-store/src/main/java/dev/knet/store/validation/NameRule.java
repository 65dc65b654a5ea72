package dev.knet.store.validation;

import java.util.List;

/** Which rule an object's metadata.name follows; Kubernetes picks one per kind. */
public enum NameRule {
    /** Most kinds: up to 253 characters, dots allowed. */
    DNS1123_SUBDOMAIN,
    /** Namespaces: one DNS label. */
    DNS1123_LABEL,
    /** Services: one DNS label starting with a letter, because the name becomes a DNS name and env var. */
    DNS1035_LABEL;

    /**
     * The messages for a name; a generateName prefix is checked without its trailing dashes,
     * since the random suffix completes it.
     */
    public List<String> check(String name, boolean prefix) {
        String n = prefix ? name.replaceAll("-+$", "") : name;
        if (prefix && n.isEmpty()) {
            n = name;
        }
        return switch (this) {
            case DNS1123_SUBDOMAIN -> Names.dns1123Subdomain(n);
            case DNS1123_LABEL -> Names.dns1123Label(n);
            case DNS1035_LABEL -> Names.dns1035Label(n);
        };
    }
}
