package dev.knet.policy.bench;

import dev.knet.dataplane.netns.NetnsThread;
import dev.knet.dataplane.nft.NftCommand;
import dev.knet.dataplane.nft.NftTransaction;
import dev.knet.policy.Protocol;
import dev.knet.policy.enforce.DropReasons;
import dev.knet.policy.enforce.PodMatch;
import dev.knet.policy.enforce.PolicyRuleset;
import dev.knet.policy.enforce.PolicyRulesetGenerator;
import dev.knet.policy.enforce.Synthetic;
import dev.knet.policy.lab.LabNode;
import dev.knet.policy.lab.LabProcesses;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;

import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TCP connect latency between two real pods on a lab node (namespaces on the node's bridge, L2 mode) with
 * 1,000 NetworkPolicies over 300 pods programmed versus none, in one run: rounds alternate between the sides,
 * each round connecting N times. Goal: p50 with policies ≤ 1.1× without, where "without" is the table a knet node
 * without policies has (its enforcer always programs the fixed rules, conntrack's among them).
 *
 * <p>The cluster is {@link Synthetic}'s with 999 policies plus one: the client ns5/p55 (app a5) and the server
 * ns0/p100 (app a10) are both selected by policies, the server's ingress admits tier t0 from ns5 on the named
 * port http (8080) through Synthetic's own rules, and the extra policy lets the client's app reach a10 on 8080
 * (Synthetic's egress rules only allow 5432). Only those two pods have namespaces; the other 298 exist in
 * the model and the sets. Only a connection's first packet walks the policy chains: replies and later packets
 * are accepted by the conntrack rule, so the connect time is what policy adds to a new flow.
 *
 * <p>Sockets are opened in the client's namespace in batches (a socket keeps its namespace) and connected
 * from the bench thread, so only connect() is timed. Not a unit test; root, ip and nft needed.
 * A third side, the table generated without any policy (conntrack and the fixed rules), tells the cost of
 * tracking connections at all from that of the policies. Arguments: [rounds per side (default 5)]
 * [connects per round (default 300)].
 */
public final class PolicyConnectLatencyBench {

    private static final String CLIENT = "ns5/p55";
    private static final String SERVER = "ns0/p100";
    private static final int PORT = 8080;
    private static final int WARMUP_CONNECTS = 100;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Math.min(Integer.parseInt(args[0]), 50) : 5;
        int perRound = args.length > 1 ? Math.min(Integer.parseInt(args[1]), 2000) : 300;
        String unavailable = LabProcesses.labUnavailableReason();
        if (unavailable != null) {
            System.out.println("skipped: " + unavailable);
            return;
        }
        List<HasMetadata> objects = new ArrayList<>(Synthetic.cluster(300, 999));
        objects.add(clientEgress());
        var generator = new PolicyRulesetGenerator(new PolicyRulesetGenerator.Options(PodMatch.ADDRESS, 100),
                new DropReasons());
        PolicyRuleset ruleset = generator.generate(objects, "n0", Synthetic::veth);
        NftTransaction load = ruleset.fullTransaction();
        // the same table without policies: conntrack and the fixed rules only, to tell their cost from the policies'
        NftTransaction empty = generator.generate(Synthetic.cluster(300, 0), "n0", Synthetic::veth).fullTransaction();
        System.out.printf("policies=1000 pods=300 rules=%d sets=%d elements=%d; %d rounds x %d connects per side%n",
                ruleset.ruleCount(), ruleset.setCount(), ruleset.elementCount(), rounds, perRound);
        String prefix = "knet-lat" + ThreadLocalRandom.current().nextInt(100_000);
        try (LabNode node = LabNode.build(prefix, List.of(CLIENT, SERVER), PolicyConnectLatencyBench::ip, List.of(PORT),
                List.of(Protocol.TCP))) {
            NftCommand nft = new NftCommand(node.nodeNetns());
            InetSocketAddress server = new InetSocketAddress(ip(SERVER), PORT);
            String clientNs = node.netnsOf(CLIENT);
            // warm-up of both paths (ARP, conntrack, JIT), not counted
            nft.run(load);
            connects(clientNs, server, 50);
            List<NftTransaction> sides = List.of(load, PolicyRuleset.removal(), empty);
            List<List<Long>> micros = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (int round = 0; round < rounds; round++) {
                // rotate which side goes first, so a drift in machine load hits all alike
                for (int k = 0; k < sides.size(); k++) {
                    int side = (round + k) % sides.size();
                    nft.run(sides.get(side));
                    if ((side != 1) != nft.dump().contains("knet-policy")) {
                        throw new IllegalStateException("the policy table is not in the expected state");
                    }
                    // the steady state of each side, not the switch: the kernel frees the replaced table in the
                    // background, and the first flows after a load meet cold caches
                    connects(clientNs, server, WARMUP_CONNECTS);
                    micros.get(side).addAll(connects(clientNs, server, perRound));
                }
            }
            nft.run(PolicyRuleset.removal());
            List<Long> with = micros.get(0);
            List<Long> without = micros.get(1);
            report("no policy table  ", without);
            report("table, 0 policies", micros.get(2));
            report("1,000 policies   ", with);
            // "With none" is a knet node without policies, and such a node has the policy table without policies:
            // its enforcer always programs the fixed rules, whose conntrack match every node needs anyway (the
            // Service proxy's NAT tracks connections too). A namespace without any table tracks nothing at all,
            // so the first ratio also shows what conntrack itself costs.
            System.out.printf("ratio with/a namespace without any table (no conntrack): p50 %.2fx, p99 %.2fx%n",
                    (double) percentile(with, 50) / percentile(without, 50),
                    (double) percentile(with, 99) / percentile(without, 99));
            System.out.printf("ratio with/a node without policies (the same table, no policy): p50 %.2fx, p99 %.2fx"
                            + " (goal p50 <= 1.10x)%n",
                    (double) percentile(with, 50) / percentile(micros.get(2), 50),
                    (double) percentile(with, 99) / percentile(micros.get(2), 99));
        }
    }

    /** Times {@code n} connects from the client namespace; a connect that fails (a drop) ends the bench. */
    private static List<Long> connects(String clientNs, InetSocketAddress server, int n) throws Exception {
        List<SocketChannel> sockets = NetnsThread.run(clientNs, () -> {
            List<SocketChannel> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(SocketChannel.open());
            }
            return out;
        });
        List<Long> micros = new ArrayList<>(n);
        for (SocketChannel socket : sockets) {
            try (socket) {
                // the server closes right after accept: the TIME_WAIT lands there, not on the client's ports
                long t0 = System.nanoTime();
                socket.socket().connect(server, 2000);
                micros.add((System.nanoTime() - t0) / 1000);
            }
        }
        return micros;
    }

    private static void report(String label, List<Long> micros) {
        System.out.printf("%s n=%d  p50 %d us  p90 %d us  p99 %d us%n", label, micros.size(), percentile(micros, 50),
                percentile(micros, 90), percentile(micros, 99));
    }

    private static long percentile(List<Long> values, int p) {
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static String ip(String podKey) {
        int i = Integer.parseInt(podKey.substring(podKey.indexOf("/p") + 2));
        return "10." + (64 + i / 65536) + "." + (i / 256 % 256) + "." + (i % 256);
    }

    /** ns5's app a5 may reach app a10 in the team-t0 namespaces (ns0 among them) on 8080. */
    private static HasMetadata clientEgress() {
        return new NetworkPolicyBuilder().withNewMetadata().withNamespace("ns5").withName("bench-client-egress")
                .endMetadata().withNewSpec().withNewPodSelector().addToMatchLabels("app", "a5").endPodSelector()
                .withPolicyTypes("Egress").addNewEgress().addNewTo().withNewNamespaceSelector()
                .addToMatchLabels("team", "t0").endNamespaceSelector().withNewPodSelector()
                .addToMatchLabels("app", "a10").endPodSelector().endTo().addNewPort().withPort(new IntOrString(PORT))
                .withProtocol("TCP").endPort().endEgress().endSpec().build();
    }
}
