package dev.knet.store;

/**
 * Which objects a list or watch covers: a namespace (null for all), a label selector and a field
 * selector in their string forms ("app=web,tier!=db", "spec.nodeName=node-1"), both optional.
 */
public record ListOptions(String namespace, String labelSelector, String fieldSelector) {

    public static ListOptions all() {
        return new ListOptions(null, null, null);
    }

    public static ListOptions inNamespace(String namespace) {
        return new ListOptions(namespace, null, null);
    }

    public ListOptions withLabels(String selector) {
        return new ListOptions(namespace, selector, fieldSelector);
    }

    public ListOptions withFields(String selector) {
        return new ListOptions(namespace, labelSelector, selector);
    }
}
