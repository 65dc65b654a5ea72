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

    /** Records the hostname each exec asks for and leaves the command alone (a UTS namespace needs root). */
    private static final class RecordingHostnames implements ContainerMounts {
        final List<String> hostnames = new java.util.ArrayList<>();
        final List<List<BindMount>> mounts = new java.util.ArrayList<>();

        @Override
        public List<String> wrap(List<BindMount> binds, List<String> argv) {
            throw new AssertionError("exec must pass the pod's hostname");
        }

        @Override
        public List<String> wrap(List<BindMount> binds, String hostname, List<String> argv) {
            hostnames.add(hostname);
            mounts.add(binds);
            return argv;
        }
    }

    @Test
    void runsAProcessThroughTheNetnsCommandWithItsOutputAndExitCode() {
        List<List<String>> wrapped = new java.util.ArrayList<>();
        RecordingHostnames uts = new RecordingHostnames();
        try (PodExec exec = new PodExec(NetnsExecutor.sameNamespace(), dir, (netns, argv) -> {
            wrapped.add(List.of(netns));
            return argv;
        }, uts)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = exec.exec(pod(null), "knet-t-p-abc", List.of("sh", "-c", "echo out; echo err >&2; exit 4"),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));

            assertThat(code).isEqualTo(4);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("out\n");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("err\n");
            assertThat(wrapped).containsExactly(List.of("knet-t-p-abc"));
            assertThat(uts.hostnames).containsExactly("p");
        }
    }

    @Test
    void aProcessGetsThePodsHostnameAndAHostNetworkPodItsOwnResolvConf() throws Exception {
        RecordingHostnames uts = new RecordingHostnames();
        Pod named = new PodBuilder(pod(null)).withNewSpec().withHostname("dns-querier-1").withNodeName("n1").endSpec()
                .build();
        Pod hostNet = new PodBuilder(pod(null)).editMetadata().withUid("u7").endMetadata()
                .withNewSpec().withHostNetwork(true).withHostname("ignored").withNodeName("n1").endSpec().build();
        Path resolv = new PodEtcFiles(dir).hostNetworkDir("knet-t-n1", "u7").resolve("resolv.conf");
        java.nio.file.Files.createDirectories(resolv.getParent());
        java.nio.file.Files.writeString(resolv, "nameserver 10.96.0.10\n");
        try (PodExec exec = new PodExec(NetnsExecutor.sameNamespace(), dir, (netns, argv) -> argv, uts)) {
            PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            exec.exec(named, "knet-t-p-abc", List.of("true"), sink, sink);
            exec.exec(hostNet, "knet-t-n1", List.of("true"), sink, sink);
        }
        assertThat(uts.hostnames).containsExactly("dns-querier-1", "n1");
        assertThat(uts.mounts.get(0)).isEmpty();
        assertThat(uts.mounts.get(1)).containsExactly(new BindMount(resolv, "/etc/resolv.conf",
                BindMount.Access.READ_ONLY));
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
