package dev.knet.store.validation;

/**
 * A field path as Kubernetes prints it: {@code spec.ports[0].port}, {@code data[tls.crt]}.
 * The root path is empty; a child of the root has no leading dot.
 */
public record FieldPath(String text) {

    public static final FieldPath ROOT = new FieldPath("");

    public static FieldPath of(String first, String... more) {
        FieldPath p = ROOT.child(first);
        for (String m : more) {
            p = p.child(m);
        }
        return p;
    }

    public FieldPath child(String name) {
        return new FieldPath(text.isEmpty() ? name : text + "." + name);
    }

    public FieldPath index(int i) {
        return new FieldPath(text + "[" + i + "]");
    }

    /** A map entry, as Kubernetes names one: {@code data[key]}. */
    public FieldPath key(String key) {
        return new FieldPath(text + "[" + key + "]");
    }

    @Override
    public String toString() {
        return text;
    }
}
