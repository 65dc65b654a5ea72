package dev.knet.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which grace period a terminating pod gets, and when a later (shorter) one moves its deadline. */
class GracePeriodTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("the deletion's grace wins over the spec's", 5L, 300L, 5L),
                Arguments.of("a deletion with grace 0", 0L, 300L, 0L),
                Arguments.of("the spec's when the deletion carries none", null, 300L, 300L),
                Arguments.of("the API's default when neither is set", null, null, 30L),
                Arguments.of("a negative grace counts as zero", -1L, null, 0L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void gracePeriod(String name, Long deletionGrace, Long specGrace, long expected) {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withDeletionGracePeriodSeconds(deletionGrace)
                .endMetadata().withNewSpec().withTerminationGracePeriodSeconds(specGrace).endSpec().build();

        assertThat(PodTermination.gracePeriodSeconds(pod)).isEqualTo(expected);
    }

    static Stream<Arguments> laterGraces() {
        return Stream.of(
                Arguments.of("a shorter grace brings the deadline forward", 600L, 10L, 1L, 11L),
                Arguments.of("a grace of zero ends it now", 600L, 10L, 0L, 10L),
                Arguments.of("the same grace leaves it", 600L, 10L, 600L, 600L),
                Arguments.of("a longer grace leaves it", 5L, 1L, 600L, 5L),
                Arguments.of("a shorter grace that would end later leaves it", 30L, 10L, 25L, 30L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("laterGraces")
    void aLaterGraceOnlyBringsTheDeadlineForward(String name, long first, long laterAt, long later, long deadline) {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        List<String> requeued = new CopyOnWriteArrayList<>();
        PodTermination termination = new PodTermination((target, probe) -> true, requeued::add);
        PodRuntime rt = new PodRuntime("uid", "netns", null);

        termination.proceed("default/p", deleted(first), rt, start);
        termination.proceed("default/p", deleted(later), rt, start.plusSeconds(laterAt));

        assertThat(rt.terminationDeadline).isEqualTo(start.plusSeconds(deadline));
    }

    private static Pod deleted(long grace) {
        return new PodBuilder().withNewMetadata().withName("p").withDeletionGracePeriodSeconds(grace)
                .withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build();
    }
}
