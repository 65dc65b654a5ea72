package dev.knet.policy.verify;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SettlingTest {

    @Test
    void noneAllowsNoRound() throws InterruptedException {
        Settling none = Settling.none();
        assertThat(none.nextRound()).isFalse();
        assertThat(none.elapsed()).isZero();
    }

    @Test
    void anEmptyWindowAllowsNoRoundAndAnOpenOneDoes() throws InterruptedException {
        assertThat(Settling.within(Duration.ZERO, Duration.ofMillis(1)).nextRound()).isFalse();
        Settling open = Settling.within(Duration.ofMinutes(1), Duration.ofMillis(1));
        assertThat(open.nextRound()).isTrue();
        assertThat(open.elapsed()).isPositive();
    }

    @Test
    void anInterruptedVerifyReportsWhatItHasAndKeepsTheInterrupt() {
        var objects = VerifyCommandTest.bookReview(true);
        FakeProber fake = VerifyCommandTest.dataplane(objects,
                pair -> VerifyCommandTest.talkPolicies(pair) && !pair[0].startsWith("details-"));
        Settling interrupted = new Settling() {
            @Override
            public boolean nextRound() throws InterruptedException {
                throw new InterruptedException();
            }

            @Override
            public Duration elapsed() {
                return Duration.ZERO;
            }
        };
        try {
            var rows = new Verifier(fake, Duration.ofMillis(100), () -> interrupted)
                    .verify(ClusterState.of(objects), new VerifyPlan(VerifyPlan.Scope.BOOK_REVIEW,
                            VerifyPlan.Target.PODS, null, null));
            assertThat(rows).filteredOn(r -> r.agreement() == VerifyRow.Agreement.DISAGREE).hasSize(3);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted(); // clears the flag for the next test on this thread
        }
    }
}
