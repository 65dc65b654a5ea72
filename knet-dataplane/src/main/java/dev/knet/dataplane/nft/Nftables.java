package dev.knet.dataplane.nft;

/**
 * Applies nftables transactions in one network namespace and lists what is there. Closing releases what the
 * handle holds in this process (nothing, for a command or a fake); the rules stay in the kernel.
 */
public interface Nftables extends AutoCloseable {

    /**
     * The real nftables of a knet namespace: libnftables in-process when the library loads here (one transaction
     * costs well under a millisecond), else the nft command (a process per transaction). Its owner closes it.
     */
    static Nftables inNamespace(String netns) {
        if (LibNftables.isAvailable()) {
            try {
                return new LibNftables(netns);
            } catch (NftException e) {
                // the library loads but cannot make a context here: the command still works
            }
        }
        return new NftCommand(netns);
    }

    /** Applies the whole transaction atomically, or nothing of it. */
    void run(NftTransaction transaction) throws NftException;

    /** The ruleset as nft lists it (the real one) or as sorted, stable text (the fake). */
    String dump() throws NftException;

    /**
     * Lists one table, chain, set or map as nft prints it ({@code nft list chain ip t c}); NOT_FOUND when it is
     * not there. Cheap for a chain: no set elements are printed.
     */
    default String list(NftObject.Flushable object) throws NftException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot list objects");
    }

    /**
     * True when a transaction of element additions only is much cheaper here than the same elements inside a
     * transaction with other changes (they skip nft's parser): a caller filling a table nothing uses yet may
     * then send its structure and its elements as two transactions.
     */
    default boolean fastElementBatches() {
        return false;
    }

    @Override
    default void close() {
    }
}
