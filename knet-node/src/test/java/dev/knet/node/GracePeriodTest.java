package dev.knet.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which grace period a terminating pod gets. */
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
}
