package dev.knet.policy.enforce;

import dev.knet.dataplane.nft.FakeNftables;
import dev.knet.policy.PolicyEngine;
import dev.knet.policy.Protocol;
import dev.knet.policy.Verdict;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * ClusterNetworkPolicy tiers (Admin first by priority, Pass, NetworkPolicy, Baseline, default) as enforced
 * by the generated rules on two nodes: every flow between the four pods and two outside addresses, on
 * several ports and both TCP and UDP, must get the model's verdict.
 */
class TierEquivalenceTest {

    private static final List<String> PODS = List.of("prod/web", "prod/db", "dev/web", "dev/db");
    private static final Map<String, String> IP = Map.of("prod/web", "10.244.1.10", "prod/db", "10.244.1.11",
            "dev/web", "10.244.2.10", "dev/db", "10.244.2.11");
    private static final List<String> OUTSIDE = List.of("169.254.169.254", "192.168.7.7", "192.168.1.9");

    static Stream<Arguments> combinations() {
        return Stream.of(
                arguments("NetworkPolicies only", new String[]{Scenario.NP_DB, Scenario.NP_WEB_EGRESS}),
                arguments("Admin Deny over NetworkPolicy", new String[]{Scenario.NP_DB, Scenario.ADMIN_DENY_DEV_TO_PROD}),
                arguments("Admin Accept before Admin Deny",
                        new String[]{Scenario.ADMIN_DENY_DEV_TO_PROD, Scenario.ADMIN_ACCEPT_DEV_WEB_FIRST, Scenario.NP_DB}),
                arguments("Pass to NetworkPolicy", new String[]{Scenario.ADMIN_PASS_ALL, Scenario.NP_DB}),
                arguments("Pass skips a later Admin Deny", new String[]{Scenario.ADMIN_PASS_ALL, Scenario.ADMIN_DENY_DEV_TO_PROD}),
                arguments("Baseline Deny where no NetworkPolicy selects",
                        new String[]{Scenario.BASELINE_DENY_ALL, Scenario.NP_DB}),
                arguments("Admin Pass then Baseline Deny", new String[]{Scenario.ADMIN_PASS_ALL, Scenario.BASELINE_DENY_ALL}),
                arguments("Admin egress Deny to a network",
                        new String[]{Scenario.ADMIN_DENY_EGRESS_NETWORK, Scenario.NP_WEB_EGRESS}),
                arguments("everything at once", new String[]{Scenario.NP_DB, Scenario.NP_WEB_EGRESS,
                        Scenario.ADMIN_DENY_DEV_TO_PROD, Scenario.ADMIN_ACCEPT_DEV_WEB_FIRST, Scenario.ADMIN_PASS_ALL,
                        Scenario.BASELINE_DENY_ALL, Scenario.ADMIN_DENY_EGRESS_NETWORK}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("combinations")
    void tracedVerdictsEqualTheModel(String name, String[] policies) throws Exception {
        List<String> docs = new ArrayList<>(List.of(Scenario.TWO_NAMESPACES));
        docs.addAll(List.of(policies));
        List<HasMetadata> objects = Scenario.parse(docs.toArray(String[]::new));
        var generator = new PolicyRulesetGenerator(PolicyRulesetGenerator.Options.DEFAULT, new DropReasons());
        Map<String, NftTracer> node = Map.of("n0", tracer(generator, objects, "n0"), "n1", tracer(generator, objects, "n1"));
        PolicyEngine engine = PolicyEngine.of(objects);
        List<String> ends = new ArrayList<>(PODS);
        ends.addAll(OUTSIDE);
        int checked = 0;
        for (String from : ends) {
            for (String to : ends) {
                if (from.equals(to) || (!PODS.contains(from) && !PODS.contains(to))) {
                    continue;
                }
                for (Protocol protocol : List.of(Protocol.TCP, Protocol.UDP)) {
                    for (int port : List.of(53, 80, 5432, 6005)) {
                        boolean traced = traverse(node, from, to, protocol.name().toLowerCase(), port);
                        Verdict model = engine.check(from, PODS.contains(to) ? IP.get(to) : to, port, protocol);
                        assertThat(traced).as(from + " -> " + to + " " + protocol + "/" + port + ": " + model.reason())
                                .isEqualTo(model.allowed());
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isEqualTo((12 + 4 * 3 * 2) * 8);
    }

    private static NftTracer tracer(PolicyRulesetGenerator generator, List<HasMetadata> objects, String node)
            throws Exception {
        FakeNftables fake = new FakeNftables();
        fake.run(generator.generate(objects, node, Scenario::veth).fullTransaction());
        return new NftTracer(fake.state(), PolicyLayout.TABLE, PolicyLayout.FORWARD);
    }

    /** Through the source's node (if a pod) then the destination's (if a pod and another node). */
    private static boolean traverse(Map<String, NftTracer> node, String from, String to, String proto, int port) {
        String src = IP.getOrDefault(from, from);
        String dst = IP.getOrDefault(to, to);
        String fromNode = PODS.contains(from) ? (from.startsWith("prod") ? "n0" : "n1") : null;
        String toNode = PODS.contains(to) ? (to.startsWith("prod") ? "n0" : "n1") : null;
        String iif = fromNode == null ? "eth0" : Scenario.veth(from);
        String oif = toNode == null ? "eth0" : Scenario.veth(to);
        if (fromNode != null && fromNode.equals(toNode)) {
            return node.get(fromNode).trace(new NftTracer.Packet(iif, oif, src, dst, proto, port, "new")).accepted();
        }
        boolean ok = fromNode == null
                || node.get(fromNode).trace(new NftTracer.Packet(iif, "eth0", src, dst, proto, port, "new")).accepted();
        return ok && (toNode == null
                || node.get(toNode).trace(new NftTracer.Packet("eth0", oif, src, dst, proto, port, "new")).accepted());
    }
}
