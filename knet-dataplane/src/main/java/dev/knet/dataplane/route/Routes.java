package dev.knet.dataplane.route;

import java.util.List;

/**
 * The main routing table of a knet namespace. Routes are identified by destination prefix, as the
 * kernel does for the main table without metrics: add of an existing one is EXISTS, replace is
 * an upsert, delete of a missing one is not an error.
 */
public interface Routes {

    void add(String netns, Route route);

    void replace(String netns, Route route);

    void delete(String netns, Route route);

    /** All routes, the kernel's connected ones included. */
    List<Route> list(String netns);
}
