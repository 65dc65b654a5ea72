package dev.knet.node.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod of two process containers on the real agent: "web" writes a file into the pod's emptyDir (mounted
 * at one path) and serves that folder on 127.0.0.1 only; "client" reads the file through its own mount of
 * the same emptyDir (another path) and fetches it over the pod's loopback. The mounts are private to the
 * containers: the node's filesystem shows empty mount points.
 */
@Tag("lab")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TwoContainerPodLabTest {

    @TempDir
    Path tmp;

    @Test
    void containersShareLocalhostAndAnEmptyDir() throws Exception {
        Assumptions.assumeTrue(commandWorks("python3", "-c", "pass"), "lab test needs python3 (the web container)");
        Assumptions.assumeTrue(commandWorks("unshare", "--mount", "true"), "lab test needs unshare --mount");
        try (LabNode lab = LabNode.open(tmp)) {
            Path mounts = Path.of("/tmp", "knet-" + lab.cluster + "-mounts");
            String webPath = mounts.resolve("web-data").toString();
            String clientPath = mounts.resolve("client-data").toString();
            String token = "token-" + lab.cluster;
            try {
                lab.start(lab.config(lab.knetRoutedConflist(), tmp.resolve("bin")), deps -> deps);
                lab.createPod(new PodBuilder().withNewMetadata().withName("duo").withNamespace("default").endMetadata()
                        .withNewSpec().withNodeName("n1")
                        .addNewVolume().withName("shared").withNewEmptyDir().endEmptyDir().endVolume()
                        .addNewContainer().withName("web").withImage("python:3.12")
                        .withCommand("sh", "-c", "echo " + token + " > " + webPath + "/msg && exec python3 -m "
                                + "http.server 8080 --bind 127.0.0.1 --directory " + webPath)
                        .addNewVolumeMount().withName("shared").withMountPath(webPath).endVolumeMount()
                        .endContainer()
                        .addNewContainer().withName("client").withImage("bash:5")
                        .withCommand("bash", "-c", """
                                until [ -s %1$s/msg ]; do sleep 0.1; done
                                echo "file: $(cat %1$s/msg)"
                                until (echo > /dev/tcp/127.0.0.1/8080) 2>/dev/null; do sleep 0.2; done
                                exec 3<>/dev/tcp/127.0.0.1/8080
                                printf 'GET /msg HTTP/1.0\\r\\n\\r\\n' >&3
                                echo "http: $(tail -n 1 <&3)"
                                exec sleep 300""".formatted(clientPath))
                        .addNewVolumeMount().withName("shared").withMountPath(clientPath).endVolumeMount()
                        .endContainer()
                        .endSpec().build(), "10.244.7.9");

                String podIp = lab.awaitRunning("duo");
                Path log = lab.log("duo", "client");
                await().atMost(LabNode.WAIT).until(() -> Files.exists(log) && Files.readString(log).contains("http:"));

                assertThat(Files.readString(log)).contains("file: " + token).contains("http: " + token);
                String uid = lab.pod("duo").getMetadata().getUid();
                assertThat(lab.stateDir.resolve("volumes").resolve(uid).resolve("shared").resolve("msg"))
                        .hasContent(token);
                assertThat(Path.of(webPath)).as("the node sees an empty mount point").isEmptyDirectory();
                assertThat(Path.of(clientPath)).as("the node sees an empty mount point").isEmptyDirectory();
                assertThat(LabNode.connects(lab.node, podIp, 8080))
                        .as("web listens on the pod's loopback only").isFalse();
            } finally {
                LabNode.run("rm", "-rf", mounts.toString());
            }
        }
    }

    private static boolean commandWorks(String... argv) {
        try {
            return LabNode.run(argv) != null;
        } catch (Exception e) {
            return false;
        }
    }
}
