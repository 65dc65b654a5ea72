package dev.knet.cli.lab;

import dev.knet.cli.CliRun;
import dev.knet.cli.KnetHome;
import dev.knet.dataplane.Dataplane;
import dev.knet.lab.LabHost;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `knet demo`, README's main command, end to end: a 3-node VXLAN lab, Book review behind the Ingress reached
 * from the host's loopback port (the host-port forward), reviews v1, v2 and v3 taking turns, the talk's two
 * policies checked by `knet verify` on real probes, and the lab gone afterwards with the host's own network
 * as it was.
 */
@Tag("lab")
class DemoLabTest {

    @Test
    void theDemoServesBookReviewThroughTheIngressVerifiesThePoliciesAndLeavesNothingBehind() throws Exception {
        LabHost.whyNot().ifPresent(reason -> Assumptions.abort("lab test skipped: " + reason));
        byte[] random = new byte[2];
        ThreadLocalRandom.current().nextBytes(random);
        String cluster = "d" + HexFormat.of().formatHex(random);
        // the daemon runs on this very JVM binary and classpath; the examples are the checkout's
        System.setProperty("knet.java", ProcessHandle.current().info().command().orElse("java"));
        System.setProperty("knet.home.dir", "..");
        RootNetworkSnapshot before = RootNetworkSnapshot.take();
        int port;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = probe.getLocalPort();
        }
        CliRun demo = CliRun.of("--name", cluster, "demo", "--port", String.valueOf(port));

        assertThat(demo.code()).as(demo.out() + demo.err()).isZero();
        assertThat(demo.out())
                .contains("curl http://127.0.0.1:" + port + "/productpage (through the Ingress)")
                .contains("productpage through the Ingress: reviews versions [v1, v2, v3] took turns")
                .contains("reachability (rows: from; columns: to;")
                .contains("30 pairs: 30 agree, 0 disagree, 0 not probed")
                .contains("knet verify: the model and real probes agree")
                .contains("Lab \"" + cluster + "\" removed");
        System.out.println(demo.out().lines().filter(l -> l.startsWith("Summary (")).findFirst().orElse(""));
        assertThat(Dataplane.real().netns().list()).noneMatch(ns -> ns.startsWith("knet-" + cluster + "-"));
        assertThat(KnetHome.resolve(cluster, null).clusterDir()).doesNotExist();
        assertThat(RootNetworkSnapshot.take()).as("the host's own network after the demo").isEqualTo(before);
    }
}
