package dev.knet.dataplane.nft;

/** Applies nftables transactions in one network namespace and lists what is there. */
public interface Nftables {

    /** Applies the whole transaction atomically, or nothing of it. */
    void run(NftTransaction transaction) throws NftException;

    /** The ruleset as nft lists it (the real one) or as sorted, stable text (the fake). */
    String dump() throws NftException;
}
