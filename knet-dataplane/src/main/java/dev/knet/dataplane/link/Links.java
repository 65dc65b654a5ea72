package dev.knet.dataplane.link;

import java.util.List;
import java.util.Optional;

/**
 * Network devices inside a named knet namespace. Every method takes the namespace first; there is
 * no overload that works "here". Creating something that exists throws DataplaneException(EXISTS);
 * touching something missing throws NOT_FOUND, except {@link #delete}, which is idempotent.
 */
public interface Links {

    void createVeth(String netns, VethSpec spec);

    /**
     * Whether {@link #createVeth} applies {@link VethSpec#gsoMaxSize()} (BIG TCP), and {@link #setGsoMaxSize}
     * works; when not, the first ignores it.
     */
    default boolean appliesGsoMaxSize() {
        return false;
    }

    /** Sets an existing link's GSO and GRO limits (BIG TCP), as {@link VethSpec#gsoMaxSize()} does at creation. */
    default void setGsoMaxSize(String netns, String name, int bytes) {
        throw new UnsupportedOperationException("this dataplane cannot set GSO limits (iproute2 before 6.3)");
    }

    void createBridge(String netns, String name);

    void createVxlan(String netns, VxlanSpec spec);

    void setUp(String netns, String name);

    void setDown(String netns, String name);

    void setMtu(String netns, String name, int mtu);

    void setMaster(String netns, String name, String master);

    void addAddress(String netns, String name, LinkAddress address);

    void deleteAddress(String netns, String name, LinkAddress address);

    List<LinkAddress> addresses(String netns, String name);

    void moveToNetns(String netns, String name, String targetNetns);

    void rename(String netns, String name, String newName);

    /** Deletes the link (a veth takes its peer with it); a missing link is not an error. */
    void delete(String netns, String name);

    List<Link> list(String netns);

    Optional<Link> find(String netns, String name);
}
