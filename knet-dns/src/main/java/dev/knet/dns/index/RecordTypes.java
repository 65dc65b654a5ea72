package dev.knet.dns.index;

/** RR TYPE and CLASS codes used by the zone (RFC 1035, 2782, 3596, 6891). */
public final class RecordTypes {

    public static final int A = 1;
    public static final int NS = 2;
    public static final int CNAME = 5;
    public static final int SOA = 6;
    public static final int PTR = 12;
    public static final int TXT = 16;
    public static final int AAAA = 28;
    public static final int SRV = 33;
    public static final int OPT = 41;
    public static final int ANY = 255;

    public static final int CLASS_IN = 1;
    public static final int CLASS_ANY = 255;

    private RecordTypes() {
    }

    /** Mnemonic for metrics and logs; unknown codes print as TYPEnnn (RFC 3597). */
    public static String name(int type) {
        return switch (type) {
            case A -> "A";
            case NS -> "NS";
            case CNAME -> "CNAME";
            case SOA -> "SOA";
            case PTR -> "PTR";
            case 15 -> "MX";
            case TXT -> "TXT";
            case AAAA -> "AAAA";
            case SRV -> "SRV";
            case OPT -> "OPT";
            case 65 -> "HTTPS";
            case ANY -> "ANY";
            default -> "TYPE" + type;
        };
    }
}
