package dev.knet.control.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conditions an endpoint gets from its pod, as Kubernetes' EndpointSlice controller sets them: ready is never
 * true for a terminating pod unless the Service publishes not-ready addresses, serving is the pod's readiness, and
 * pods in a terminal phase (Succeeded, or Failed as an evicted pod ends) are no endpoints at all.
 */
class EndpointConditionsTest {

    /** What the slice holds for the pod: absent, or its three conditions. */
    record Expected(boolean present, boolean ready, boolean serving, boolean terminating) {
        static final Expected ABSENT = new Expected(false, false, false, false);

        static Expected of(boolean ready, boolean serving, boolean terminating) {
            return new Expected(true, ready, serving, terminating);
        }
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("ready pod", true, false, false, "Running", Expected.of(true, true, false)),
                row("unready pod", false, false, false, "Running", Expected.of(false, false, false)),
                row("unready pod, not-ready addresses published", false, false, true, "Running",
                        Expected.of(true, false, false)),
                row("terminating pod still ready: serving, for the proxy's fallback", true, true, false, "Running",
                        Expected.of(false, true, true)),
                row("terminating unready pod", false, true, false, "Running", Expected.of(false, false, true)),
                row("terminating unready pod, not-ready addresses published", false, true, true, "Running",
                        Expected.of(true, false, true)),
                row("evicted pod (Failed)", false, false, true, "Failed", Expected.ABSENT),
                row("failed pod still reporting Ready", true, false, false, "Failed", Expected.ABSENT),
                row("completed pod (Succeeded)", false, false, true, "Succeeded", Expected.ABSENT),
                row("terminating pod that failed", false, true, true, "Failed", Expected.ABSENT));
    }

    private static Arguments row(String name, boolean podReady, boolean terminating, boolean publishNotReady,
                                 String phase, Expected expected) {
        return Arguments.of(name, podReady, terminating, publishNotReady, phase, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void conditions(String name, boolean podReady, boolean terminating, boolean publishNotReady, String phase,
                    Expected expected) {
        Service svc = new ServiceBuilder().withNewMetadata().withName("svc").withNamespace("default").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "a")).withPublishNotReadyAddresses(publishNotReady)
                .addNewPort().withPort(80).withTargetPort(new IntOrString(8080)).endPort().endSpec().build();
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withUid("u1")
                .withDeletionTimestamp(terminating ? "2026-01-01T00:00:00Z" : null).endMetadata()
                .withNewSpec().withNodeName("n1").endSpec()
                .withNewStatus().withPhase(phase).withPodIP("10.244.1.5")
                .addNewCondition().withType("Ready").withStatus(podReady ? "True" : "False").endCondition()
                .endStatus().build();

        List<Endpoint> endpoints = EndpointSliceBuilder.desired(svc, List.of(pod), node -> null).values().stream()
                .flatMap(g -> g.endpoints().stream()).toList();

        Expected actual = endpoints.isEmpty() ? Expected.ABSENT : Expected.of(
                endpoints.getFirst().getConditions().getReady(), endpoints.getFirst().getConditions().getServing(),
                endpoints.getFirst().getConditions().getTerminating());
        assertThat(endpoints).hasSizeLessThanOrEqualTo(1);
        assertThat(actual).isEqualTo(expected);
    }
}
