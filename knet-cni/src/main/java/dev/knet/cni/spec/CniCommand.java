package dev.knet.cni.spec;

/** CNI_COMMAND values. */
public enum CniCommand {
    ADD, DEL, CHECK, STATUS, GC, VERSION;

    public static CniCommand parse(String text) {
        if (text == null) {
            throw new CniException(CniError.of(CniError.INVALID_ENVIRONMENT, "CNI_COMMAND is not set", null));
        }
        try {
            return valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new CniException(CniError.of(CniError.INVALID_ENVIRONMENT, "unknown CNI_COMMAND " + text, null), e);
        }
    }
}
