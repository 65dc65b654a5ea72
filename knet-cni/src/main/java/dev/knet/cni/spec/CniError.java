package dev.knet.cni.spec;

/**
 * The error object a plugin prints on stdout with a non-zero exit. Codes 1-99 are the spec's;
 * 100 and up are plugin-specific (knet uses {@link #CHECK_FAILED}).
 */
public record CniError(String cniVersion, int code, String msg, String details) {

    public static final int INCOMPATIBLE_VERSION = 1;
    public static final int UNSUPPORTED_FIELD = 2;
    public static final int UNKNOWN_CONTAINER = 3;
    public static final int INVALID_ENVIRONMENT = 4;
    public static final int IO_FAILURE = 5;
    public static final int DECODE = 6;
    public static final int INVALID_CONFIG = 7;
    public static final int TRY_AGAIN_LATER = 11;
    public static final int NOT_AVAILABLE = 50;
    public static final int LIMITED_CONNECTIVITY = 51;
    /** knet: CHECK found the attachment differs from the previous result. */
    public static final int CHECK_FAILED = 100;
    /** knet: the dataplane refused an operation during ADD (the partial work has been undone). */
    public static final int DATAPLANE_FAILED = 101;
    /** knet: the IPAM range has no free address. */
    public static final int IPAM_EXHAUSTED = 102;

    public static CniError of(int code, String msg, String details) {
        return new CniError(CniVersions.CURRENT, code, msg, details);
    }

    public CniError withVersion(String version) {
        return new CniError(version, code, msg, details);
    }
}
