package dev.knet.dns.server;

/** How a query arrived; decides size limits and how it is forwarded. */
public enum Transport {
    UDP("udp"), TCP("tcp");

    private final String label;

    Transport(String label) {
        this.label = label;
    }

    /** The metrics label; a constant, since it is asked for every query. */
    public String label() {
        return label;
    }
}
