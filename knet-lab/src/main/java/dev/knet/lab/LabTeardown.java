package dev.knet.lab;

/** What closing a lab does with its network. */
public enum LabTeardown {
    /** Remove every namespace of the lab, pods' included ({@code knet down}). */
    REMOVE_NETWORK,
    /**
     * Stop the node agents and the route sync but leave the namespaces, and so the pods' network,
     * in place: a daemon started again for the same lab adopts them.
     */
    KEEP_NETWORK
}
