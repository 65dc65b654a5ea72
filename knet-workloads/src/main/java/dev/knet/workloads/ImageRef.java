package dev.knet.workloads;

/**
 * A container image reference cut into the parts knet matches on.
 *
 * @param repository the path without registry host, tag or digest, e.g. "e2e-test-images/agnhost"
 * @param tag        the tag, or "" (also when only a digest is given)
 */
public record ImageRef(String registry, String repository, String tag) {

    /** The last path segment of the repository, e.g. "agnhost" or "examples-bookinfo-reviews-v2". */
    public String name() {
        int slash = repository.lastIndexOf('/');
        return slash < 0 ? repository : repository.substring(slash + 1);
    }

    public static ImageRef parse(String image) {
        String rest = image.strip();
        int at = rest.indexOf('@');
        if (at >= 0) {
            rest = rest.substring(0, at);
        }
        String tag = "";
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        String registry = "";
        int slash = rest.indexOf('/');
        // as docker does: a first segment with a dot, a colon or "localhost" is a registry host
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        return new ImageRef(registry, rest, tag);
    }
}
