package dev.knet.dataplane.nft;

/** Applies nftables transactions in one network namespace and lists what is there. */
public interface Nftables {

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
}
