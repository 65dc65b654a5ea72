package dev.knet.dataplane.nft;

/** The nftables address families knet writes tables in. */
public enum NftFamily {
    IP("ip"), IP6("ip6"), INET("inet");

    private final String text;

    NftFamily(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
