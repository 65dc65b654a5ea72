package dev.knet.dns.server;

/** How a query arrived; decides size limits and how it is forwarded. */
public enum Transport {
    UDP, TCP;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
