package dev.knet.policy.verify;

import java.time.Duration;
import java.util.Objects;

/**
 * The model's verdict and the real probe for one pair.
 *
 * @param settledAfter zero when the first probe agreed (or the disagreement stands); else how long after the
 *                     first round a later one agreed, while the nodes were still applying the store's state
 */
public record VerifyRow(VerifyPair pair, boolean modelAllowed, String reason, ProbeResult probe, Duration settledAfter) {

    /** How the two answers compare. */
    public enum Agreement { AGREE, DISAGREE, NOT_PROBED }

    public VerifyRow {
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(settledAfter, "settledAfter");
    }

    public Agreement agreement() {
        return agreement(modelAllowed, probe.outcome());
    }

    /** Whether this pair agreed only in a later round. */
    public boolean settledLate() {
        return settledAfter.isPositive() && agreement() == Agreement.AGREE;
    }

    static Agreement agreement(boolean modelAllowed, ProbeResult.Outcome outcome) {
        return switch (outcome) {
            case UNSUPPORTED -> Agreement.NOT_PROBED;
            case ERROR -> Agreement.DISAGREE; // could not check: never counted as agreement
            case CONNECTED -> modelAllowed ? Agreement.AGREE : Agreement.DISAGREE;
            // a refusal also means "did not connect", as the e2e probes count it
            case REFUSED, TIMED_OUT -> modelAllowed ? Agreement.DISAGREE : Agreement.AGREE;
        };
    }
}
