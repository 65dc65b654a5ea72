package dev.knet.policy.verify;

/** The model's verdict and the real probe for one pair. */
public record VerifyRow(VerifyPair pair, boolean modelAllowed, String reason, ProbeResult probe) {

    /** How the two answers compare. */
    public enum Agreement { AGREE, DISAGREE, NOT_PROBED }

    public Agreement agreement() {
        return switch (probe.outcome()) {
            case UNSUPPORTED -> Agreement.NOT_PROBED;
            case ERROR -> Agreement.DISAGREE; // could not check: never counted as agreement
            case CONNECTED -> modelAllowed ? Agreement.AGREE : Agreement.DISAGREE;
            // a refusal also means "did not connect", as the e2e probes count it
            case REFUSED, TIMED_OUT -> modelAllowed ? Agreement.DISAGREE : Agreement.AGREE;
        };
    }
}
