package dev.knet.dataplane.nflog;

/** The IP protocols a logged packet is told apart by; everything else is {@link #OTHER}. */
public enum IpProtocol {
    ICMP(1), TCP(6), UDP(17), ICMPV6(58), SCTP(132), OTHER(-1);

    private final int number;

    IpProtocol(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** TCP, UDP and SCTP headers start with the source and destination ports. */
    public boolean hasPorts() {
        return this == TCP || this == UDP || this == SCTP;
    }

    public static IpProtocol of(int number) {
        for (IpProtocol p : values()) {
            if (p.number == number) {
                return p;
            }
        }
        return OTHER;
    }
}
