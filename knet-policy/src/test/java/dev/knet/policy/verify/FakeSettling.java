package dev.knet.policy.verify;

import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * Rounds without waiting: allows {@code rounds} of them, each {@code step} of pretend time, and tells
 * {@code beforeRound} the round's number (from 1) first, so a test can change its dataplane between rounds.
 */
final class FakeSettling implements Settling {

    private final int rounds;
    private final Duration step;
    private final IntConsumer beforeRound;
    int taken;

    FakeSettling(int rounds, Duration step, IntConsumer beforeRound) {
        this.rounds = rounds;
        this.step = step;
        this.beforeRound = beforeRound;
    }

    @Override
    public boolean nextRound() {
        if (taken == rounds) {
            return false;
        }
        taken++;
        beforeRound.accept(taken);
        return true;
    }

    @Override
    public Duration elapsed() {
        return step.multipliedBy(taken);
    }
}
