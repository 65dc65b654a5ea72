package dev.knet.workloads;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class WorkloadFactoryTest {

    private static final String AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.53";

    /** name, image, command, args, expected decision kind, expected description or message. */
    static Stream<Arguments> containers() {
        return Stream.of(
                Arguments.of("agnhost netexec via args", AGNHOST, List.of(),
                        List.of("netexec", "--http-port=8080", "--udp-port=8081"), "BuiltIn",
                        "agnhost netexec --http-port=8080 --udp-port=8081"),
                Arguments.of("agnhost via /agnhost command", AGNHOST, List.of("/agnhost"),
                        List.of("serve-hostname", "--port=80", "--udp"), "BuiltIn",
                        "agnhost serve-hostname --port=80 --udp"),
                Arguments.of("agnhost all in command", "k8s.gcr.io/e2e-test-images/agnhost:2.21",
                        List.of("/agnhost", "pause"), List.of(), "BuiltIn", "pause"),
                Arguments.of("agnhost connect as main", AGNHOST, List.of(),
                        List.of("connect", "10.0.0.1:80", "--timeout=1s"), "BuiltIn",
                        "agnhost connect 10.0.0.1:80 --timeout=1s"),
                Arguments.of("agnhost with a shell command", AGNHOST, List.of("/bin/sh", "-c"), List.of("sleep 1"),
                        "NotBuiltIn", "the container's command /bin/sh replaces agnhost"),
                Arguments.of("agnhost without subcommand", AGNHOST, List.of(), List.of(), "Invalid",
                        "agnhost: agnhost needs a subcommand (one of [connect, netexec, pause, serve-hostname])"),
                Arguments.of("agnhost subcommand not built in", AGNHOST, List.of(), List.of("porter"), "Invalid",
                        "agnhost porter: agnhost subcommand \"porter\" is not built into knet "
                                + "(built in: [connect, netexec, pause, serve-hostname])"),
                Arguments.of("agnhost bad flag", AGNHOST, List.of(), List.of("netexec", "--http-prt=1"), "Invalid",
                        "agnhost netexec --http-prt=1: unknown flag: --http-prt"),
                Arguments.of("pause image", "registry.k8s.io/pause:3.10", List.of(), List.of(), "BuiltIn", "pause"),
                Arguments.of("bookinfo with docker.io", "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2",
                        List.of(), List.of(), "BuiltIn", "bookinfo reviews-v2"),
                Arguments.of("bookinfo without registry", "istio/examples-bookinfo-productpage-v1:1.20.2",
                        List.of(), List.of(), "BuiltIn", "bookinfo productpage-v1"),
                Arguments.of("bookinfo by digest", "istio/examples-bookinfo-ratings-v1@sha256:abcd",
                        List.of(), List.of(), "BuiltIn", "bookinfo ratings-v1"),
                Arguments.of("bookinfo lookalike elsewhere", "quay.io/someone/examples-bookinfo-details-v1:1",
                        List.of(), List.of(), "Invalid",
                        "image quay.io/someone/examples-bookinfo-details-v1:1 is not a built-in workload and the container has no command"),
                Arguments.of("knet ingress controller", "knet.dev/ingress-controller:0.1", List.of(),
                        List.of("--ingress-class=public", "--http-port=8080", "--election-id=x"), "BuiltIn",
                        "knet ingress controller (class public) on :8080 and :443"),
                Arguments.of("knet ingress controller, bad port", "knet.dev/ingress-controller:0.1", List.of(),
                        List.of("--https-port=https"), "Invalid",
                        "ingress controller: --https-port=https: not a port number"),
                Arguments.of("ingress-controller lookalike elsewhere", "quay.io/x/ingress-controller:1", List.of(),
                        List.of(), "Invalid",
                        "image quay.io/x/ingress-controller:1 is not a built-in workload and the container has no command"),
                Arguments.of("unknown image without command", "busybox:1.36", List.of(), List.of("sleep", "3600"),
                        "Invalid", "image busybox:1.36 is not a built-in workload and the container has no command"),
                Arguments.of("unknown image with command", "busybox:1.36", List.of("sleep"), List.of("3600"),
                        "NotBuiltIn", "image busybox:1.36 is not a built-in workload"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void decides(String name, String image, List<String> command, List<String> args, String kind, String text) {
        WorkloadDecision decision = WorkloadFactory.forContainer(image, command, args, Map.of(), List.of());

        assertThat(decision.getClass().getSimpleName()).isEqualTo(kind);
        String actual = switch (decision) {
            case WorkloadDecision.BuiltIn b -> b.workload().description();
            case WorkloadDecision.NotBuiltIn n -> n.reason();
            case WorkloadDecision.Invalid i -> i.message();
        };
        assertThat(actual).isEqualTo(text);
    }

    @Test
    void readsAFabric8Container() {
        WorkloadDecision decision = WorkloadFactory.forContainer(new ContainerBuilder().withName("c")
                .withImage(AGNHOST).withArgs("netexec", "--http-port=80", "--udp-port=-1").build());

        assertThat(decision).isInstanceOfSatisfying(WorkloadDecision.BuiltIn.class, b ->
                assertThat(b.workload().description()).isEqualTo("agnhost netexec --http-port=80 --udp-port=-1"));
    }

    static Stream<Arguments> images() {
        return Stream.of(
                Arguments.of("full", "registry.k8s.io/e2e-test-images/agnhost:2.53",
                        new ImageRef("registry.k8s.io", "e2e-test-images/agnhost", "2.53")),
                Arguments.of("docker hub short", "istio/examples-bookinfo-details-v1:1.20",
                        new ImageRef("", "istio/examples-bookinfo-details-v1", "1.20")),
                Arguments.of("registry with port", "localhost:5000/agnhost",
                        new ImageRef("localhost:5000", "agnhost", "")),
                Arguments.of("digest", "busybox@sha256:0123", new ImageRef("", "busybox", "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void parsesImageReferences(String name, String image, ImageRef expected) {
        assertThat(ImageRef.parse(image)).isEqualTo(expected);
    }
}
