package dev.knet.dns.wire;

/** Response codes (RFC 1035 4.1.1, RFC 6891 for the extended BADVERS). */
public enum Rcode {
    NOERROR(0), FORMERR(1), SERVFAIL(2), NXDOMAIN(3), NOTIMP(4), REFUSED(5), BADVERS(16);

    private final int code;

    Rcode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static String name(int code) {
        for (Rcode r : values()) {
            if (r.code == code) {
                return r.name();
            }
        }
        return "RCODE" + code;
    }
}
