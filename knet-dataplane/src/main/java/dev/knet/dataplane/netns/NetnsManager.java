package dev.knet.dataplane.netns;

import java.util.List;

/** Named network namespaces under /run/netns; only knet-prefixed names are accepted. */
public interface NetnsManager {

    /** Creates the namespace; DataplaneException(EXISTS) if it is already there. */
    void create(String name);

    /** Deletes the namespace; a missing one is not an error (deletes are idempotent). */
    void delete(String name);

    /** knet namespaces only, sorted. */
    List<String> list();

    boolean exists(String name);
}
