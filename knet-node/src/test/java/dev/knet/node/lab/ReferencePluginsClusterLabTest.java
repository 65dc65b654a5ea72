package dev.knet.node.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.knet.dataplane.netns.NetnsThread;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent as a CNI runtime for the reference plugins: its conflist is bridge + host-local (run as
 * processes inside the node namespace), pods are created without an address, host-local chooses one, the
 * agent reports it, and the pods reach each other and the node (and the node them).
 */
@Tag("lab")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReferencePluginsClusterLabTest {

    private static final Path REFERENCE = Path.of("/usr/lib/cni");
    private static final String GATEWAY = "10.85.0.1";
    @TempDir
    Path tmp;

    private static Pod netexec(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withNodeName("n1").addNewContainer().withName("agnhost")
                .withImage("registry.k8s.io/e2e-test-images/agnhost:2.53").withArgs("netexec", "--http-port=8080")
                .endContainer().endSpec().build();
    }

    @Test
    void podsGetHostLocalAddressesAndReachEachOtherAndTheNode() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(REFERENCE.resolve("bridge"))
                        && Files.isExecutable(REFERENCE.resolve("host-local")),
                "lab test skipped: the reference plugins (Debian containernetworking-plugins) are not in " + REFERENCE);
        try (LabNode lab = LabNode.open(tmp)) {
            Path ipam = lab.stateDir.resolve("ipam");
            String conflist = """
                    {"cniVersion":"1.0.0","name":"refnet","plugins":[{"type":"bridge","bridge":"cni0",
                      "isGateway":true,"ipMasq":false,"mtu":1500,
                      "ipam":{"type":"host-local","subnet":"10.85.0.0/24","dataDir":"%s",
                              "routes":[{"dst":"0.0.0.0/0"}]}}]}""".formatted(ipam);
            lab.start(lab.config(conflist, REFERENCE), deps -> deps);
            lab.createPod(netexec("a"), null);
            lab.createPod(netexec("b"), null);

            String a = lab.awaitRunning("a");
            String b = lab.awaitRunning("b");

            assertThat(a).startsWith("10.85.0.").isNotEqualTo(GATEWAY);
            assertThat(b).startsWith("10.85.0.").isNotEqualTo(a);
            assertThat(ipam.resolve("refnet").resolve(a)).as("host-local's reservation").exists();
            String podA = lab.netnsOf("a");
            String podB = lab.netnsOf("b");
            assertThat(LabNode.httpGetFrom(podA, b, 8080, "/hostname")).as("a -> b").endsWith("b");
            assertThat(LabNode.httpGetFrom(podB, a, 8080, "/hostname")).as("b -> a").endsWith("a");
            assertThat(LabNode.httpGetFrom(lab.node, a, 8080, "/hostname")).as("node -> a").endsWith("a");
            try (ServerSocket onNode = NetnsThread.run(lab.node,
                    () -> new ServerSocket(9099, 5, InetAddress.ofLiteral(GATEWAY)))) {
                assertThat(LabNode.connects(podB, GATEWAY, onNode.getLocalPort())).as("b -> node").isTrue();
            }

            lab.client.pods().inNamespace("default").withName("a").delete();
            await().atMost(LabNode.WAIT).until(() -> !Files.exists(ipam.resolve("refnet").resolve(a)));
            await().atMost(LabNode.WAIT).until(() -> !LabNode.run("ip", "netns", "list").contains(podA));
        }
    }
}
