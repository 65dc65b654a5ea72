package dev.knet.policy.verify;

import java.time.Duration;
import java.util.Objects;

/**
 * Paces the rounds in which {@link Verifier} probes disagreeing pairs again. A NetworkPolicy is enforced a
 * moment after it is stored: every node's agent hears of it, compiles it and writes its ruleset. A verify run
 * right after {@code apply} would otherwise report that moment as a mismatch. The Kubernetes e2e policy tests
 * retry their probe matrix for the same reason. A disagreement that outlasts the window is reported.
 */
public interface Settling {

    /** Waits before the next round; false once the window is spent, and the disagreements then stand. */
    boolean nextRound() throws InterruptedException;

    /** Time since the first probe round ended: how long a late-agreeing pair took to settle. */
    Duration elapsed();

    /** No second round: the first answers are the report. */
    static Settling none() {
        return new Settling() {
            @Override
            public boolean nextRound() {
                return false;
            }

            @Override
            public Duration elapsed() {
                return Duration.ZERO;
            }
        };
    }

    /** Rounds every {@code pause} until {@code window} has passed since this was made. */
    static Settling within(Duration window, Duration pause) {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(pause, "pause");
        long start = System.nanoTime();
        return new Settling() {
            @Override
            public boolean nextRound() throws InterruptedException {
                Duration left = window.minus(elapsed());
                if (left.isNegative() || left.isZero()) {
                    return false;
                }
                // polling a dataplane that converges on its own; there is nothing to be notified by
                Thread.sleep(pause.compareTo(left) < 0 ? pause : left);
                return true;
            }

            @Override
            public Duration elapsed() {
                return Duration.ofNanos(System.nanoTime() - start);
            }
        };
    }
}
