package dev.knet.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.knet.workloads.pod.NetnsExecutor;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodExecTest {

    @TempDir
    Path dir;

    private static Pod pod(String netnsAnnotation) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName("p").withNamespace("default").endMetadata()
                .withNewStatus().withPodIP("10.244.1.5").endStatus();
        if (netnsAnnotation != null) {
            b.editMetadata().addToAnnotations("knet.dev/netns", netnsAnnotation).endMetadata();
        }
        return b.build();
    }

    @Test
    void runsAProcessThroughTheNetnsCommandWithItsOutputAndExitCode() {
        List<List<String>> wrapped = new java.util.ArrayList<>();
        try (PodExec exec = new PodExec(NetnsExecutor.sameNamespace(), dir, (netns, argv) -> {
            wrapped.add(List.of(netns));
            return argv;
        })) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = exec.exec(pod(null), "knet-t-p-abc", List.of("sh", "-c", "echo out; echo err >&2; exit 4"),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));

            assertThat(code).isEqualTo(4);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("out\n");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("err\n");
            assertThat(wrapped).containsExactly(List.of("knet-t-p-abc"));
        }
    }

    @Test
    void findsTheNetnsAnnotationAndIgnoresNonKnetNames() {
        assertThat(PodExec.netnsOf(pod("knet-t-p-abc"))).contains("knet-t-p-abc");
        assertThat(PodExec.netnsOf(pod("../etc"))).isEmpty();
        assertThat(PodExec.netnsOf(pod(null))).isEmpty();
    }

    @Test
    void logFilesLiveUnderTheStateDirectory() {
        assertThat(PodExec.logFile(dir, "ns", "pod", "c")).isEqualTo(dir.resolve("logs/ns_pod_c.log"));
    }
}
