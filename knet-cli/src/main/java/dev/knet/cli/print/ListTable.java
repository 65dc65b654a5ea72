package dev.knet.cli.print;

import dev.knet.model.ResourceKind;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;

/**
 * What `knet get KIND [-n NS | -A]` prints for a list in the default table format: the table on stdout, or
 * kubectl's "No resources found" on stderr. One place for it, because the lab daemon renders the same text
 * for the light client and the two must never differ.
 */
public record ListTable(Stream stream, String text) {

    /** Where the text goes. */
    public enum Stream { STDOUT, STDERR }

    /** The namespace a list is read from: null for every namespace (-A) and for cluster-scoped kinds. */
    public static String namespace(ResourceKind<?> kind, String namespace, boolean allNamespaces) {
        return kind.namespaced() && !allNamespaces ? (namespace == null ? "default" : namespace) : null;
    }

    public static String emptyMessage(String namespace) {
        return namespace == null ? "No resources found" : "No resources found in " + namespace + " namespace.";
    }

    /** The output for objects listed from {@link #namespace}; Services get their plain (not wide) columns. */
    public static ListTable render(ResourceKind<?> kind, List<? extends HasMetadata> objects, String namespace,
                                   boolean allNamespaces) {
        if (objects.isEmpty()) {
            return new ListTable(Stream.STDERR, emptyMessage(namespace) + System.lineSeparator());
        }
        return new ListTable(Stream.STDOUT, ObjectPrinter.print(kind, objects, ObjectPrinter.Format.TABLE,
                allNamespaces, false));
    }
}
