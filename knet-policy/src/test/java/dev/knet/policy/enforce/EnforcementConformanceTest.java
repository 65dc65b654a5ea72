package dev.knet.policy.enforce;

import dev.knet.dataplane.nft.FakeNftables;
import dev.knet.policy.ClusterSnapshot;
import dev.knet.policy.NetpolCase;
import dev.knet.policy.NetpolCluster;
import dev.knet.policy.PolicyIndex;
import dev.knet.policy.Protocol;
import dev.knet.policy.matrix.MatrixRenderer;
import dev.knet.policy.matrix.MatrixRow;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every upstream e2e NetworkPolicy case, steps in order, enforced by generated nftables rules: the pods are
 * spread over two nodes, each node's ruleset is loaded into its own fake (replacing the previous one at each
 * probe), and every pod pair is traced through the nodes it crosses (the source node's forward hook, then the
 * destination node's; once for a same-node pair). The traced truth table must equal the upstream one.
 */
class EnforcementConformanceTest {

    private static final String UPLINK = "knet-vx";

    static List<String> cases() {
        return NetpolCase.ids();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void tracedRulesReproduceTruthTables(String id) throws Exception {
        NetpolCase testCase = NetpolCase.load(id);
        NetpolCluster cluster = new NetpolCluster(testCase);
        DropReasons reasons = new DropReasons();
        PolicyRulesetGenerator generator = new PolicyRulesetGenerator(PolicyRulesetGenerator.Options.DEFAULT, reasons);
        Map<String, FakeNftables> nodes = Map.of("n0", new FakeNftables(), "n1", new FakeNftables());
        int probe = 0;
        for (Map<String, Object> step : testCase.steps()) {
            if (!step.get("action").equals("probe")) {
                cluster.apply(step);
                continue;
            }
            probe++;
            int port = ((Number) step.get("port")).intValue();
            Protocol protocol = Protocol.parse((String) step.get("protocol"));
            String expected = normalise((String) ((Map<String, Object>) step.get("expect")).get("matrix"));
            List<String> pods = cluster.podKeys();
            Map<String, String> nodeOf = new HashMap<>();
            Map<String, String> veth = new HashMap<>();
            for (int i = 0; i < pods.size(); i++) {
                nodeOf.put(pods.get(i), "n" + (i % 2));
                veth.put(pods.get(i), "kp" + i);
            }
            PolicyIndex index = PolicyIndex.of(ClusterSnapshot.of(cluster.objects()));
            Map<String, NftTracer> tracers = new HashMap<>();
            for (var node : nodes.entrySet()) {
                List<LocalPod> local = pods.stream().filter(p -> nodeOf.get(p).equals(node.getKey()))
                        .map(p -> new LocalPod(p, veth.get(p))).toList();
                node.getValue().run(generator.generate(index, local).fullTransaction());
                tracers.put(node.getKey(), new NftTracer(node.getValue().state(), PolicyLayout.TABLE, PolicyLayout.FORWARD));
            }
            String proto = protocol.name().toLowerCase(Locale.ROOT);
            List<MatrixRow> rows = new ArrayList<>();
            for (String from : pods) {
                for (String to : pods) {
                    String src = cluster.podIp(from);
                    String dst = cluster.podIp(to);
                    boolean allowed;
                    if (nodeOf.get(from).equals(nodeOf.get(to))) {
                        allowed = tracers.get(nodeOf.get(from)).trace(
                                new NftTracer.Packet(veth.get(from), veth.get(to), src, dst, proto, port, "new")).accepted();
                    } else {
                        allowed = tracers.get(nodeOf.get(from)).trace(
                                new NftTracer.Packet(veth.get(from), UPLINK, src, dst, proto, port, "new")).accepted()
                                && tracers.get(nodeOf.get(to)).trace(
                                new NftTracer.Packet(UPLINK, veth.get(to), src, dst, proto, port, "new")).accepted();
                    }
                    if (from.equals(to)) {
                        assertThat(allowed).as(id + ": a pod reaching itself is never filtered").isTrue();
                    }
                    rows.add(new MatrixRow(from, to, port, protocol, allowed, ""));
                }
            }
            assertThat(normalise(MatrixRenderer.table(pods, rows, port, protocol)))
                    .as(id + " probe " + probe + " " + protocol + "/" + port).isEqualTo(expected);
        }
        assertThat(probe).as("probes in " + id).isPositive();
    }

    static String normalise(String table) {
        return table.lines().map(String::strip).filter(l -> !l.isEmpty())
                .map(l -> String.join(" ", Arrays.asList(l.split("\\s+"))))
                .collect(Collectors.joining("\n"));
    }
}
