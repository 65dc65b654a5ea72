package dev.knet.policy.verify;

import dev.knet.policy.Protocol;
import dev.knet.policy.cli.VerifyCommand;
import dev.knet.policy.lab.LabNode;
import dev.knet.policy.lab.LabProcesses;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code knet verify} with real sockets: the Book review pods on one lab node enforcing the talk's two
 * policies, each pod serving TCP/9080. The model and the probes must agree on every pair.
 */
@Tag("lab")
class VerifyLabTest {

    @Test
    void talkPoliciesHoldOnRealPackets() throws Exception {
        String why = LabProcesses.labUnavailableReason();
        assumeTrue(why == null, why);
        List<HasMetadata> objects = VerifyCommandTest.bookReview(true);
        List<Pod> pods = VerifyCommandTest.pods(objects);
        List<String> keys = pods.stream().map(VerifyPlan::key).toList();
        String prefix = "knet-vf" + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
        try (LabNode node = LabNode.build(prefix, keys,
                key -> pods.get(keys.indexOf(key)).getStatus().getPodIP(), List.of(9080), List.of(Protocol.TCP))) {
            node.apply(objects);
            List<HasMetadata> live = objects.stream().map(o -> o instanceof Pod p
                    ? new PodBuilder(p).editMetadata().addToAnnotations(VerifyPlan.NETNS_ANNOTATION,
                    node.netnsOf(VerifyPlan.key(p))).endMetadata().build() : o).toList();

            StringWriter out = new StringWriter();
            CommandLine cli = new CommandLine(new VerifyCommand(() -> ClusterState.of(live), new SocketProber()));
            cli.setOut(new PrintWriter(out));
            int exit = cli.execute("--timeout", "400");

            assertThat(exit).as(out.toString()).isZero();
            assertThat(out.toString()).contains("30 pairs: 30 agree, 0 disagree");
            assertThat(VerifyCommandTest.line(out.toString(), "productpage-v1", "reviews-v1"))
                    .contains("allowed", "connected", "NetworkPolicy default/reviews-accepts-only-productpage allows ingress");
            assertThat(VerifyCommandTest.line(out.toString(), "details-v1", "reviews-v1"))
                    .contains("denied", "timeout", "isolated for ingress by default/reviews-accepts-nothing");
        }
    }
}
