package dev.knet.dataplane.route;

import java.util.List;

/** Static neighbour (ARP/NDP) entries in a knet namespace, as a VXLAN overlay programs them. */
public interface Neighbours {

    /** {@code ip neigh replace IP lladdr MAC dev DEV nud permanent}. */
    void replacePermanent(String netns, Neighbour neighbour);

    /** Deletes the entry; a missing one is not an error. */
    void delete(String netns, Neighbour neighbour);

    /** Permanent entries on {@code dev}. */
    List<Neighbour> list(String netns, String dev);
}
