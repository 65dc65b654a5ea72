package dev.knet.policy.lab;

import dev.knet.dataplane.nft.NftCommand;
import dev.knet.policy.Protocol;
import dev.knet.policy.enforce.DropReasons;
import dev.knet.policy.enforce.PodMatch;
import dev.knet.policy.enforce.PolicyEnforcer;
import dev.knet.policy.enforce.PolicyLayout;
import dev.knet.policy.enforce.PolicyRulesetGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * One lab node without the rest of the cluster: a node namespace {@code <prefix>-node} holding a bridge, one
 * namespace per pod with its {@code eth0} on that bridge (L2 mode: all pods in one /16, so every pod-to-pod
 * packet is bridged), servers in every pod, and a {@link PolicyEnforcer} fed with the cluster's objects the way
 * the node agent feeds it from its watches. L2 mode needs bridge netfilter ({@code bridge-nf-call-iptables=1},
 * set in the node namespace only) and {@link PodMatch#ADDRESS}.
 */
public final class LabNode implements AutoCloseable {

    static final String NODE = "lab-node";
    private static final Pattern DROP_COUNTER = Pattern.compile("counter packets (\\d+) bytes \\d+ log prefix \"knet-drop:");

    private final String nodeNetns;
    private final Map<String, String> podNetns = new LinkedHashMap<>();
    private final Map<String, String> veths = new HashMap<>();
    private final List<PodServers> servers = new ArrayList<>();
    private final List<String> created = new ArrayList<>();
    private final Map<String, HasMetadata> fed = new HashMap<>();
    private final NftCommand nft;
    private PolicyEnforcer enforcer;
    private long generation;

    private LabNode(String prefix) {
        this.nodeNetns = prefix + "-node";
        this.nft = new NftCommand(nodeNetns);
    }

    /** Builds the node and its pods; on failure everything created so far is removed. */
    public static LabNode build(String prefix, List<String> podKeys, Function<String, String> ipOf, List<Integer> ports,
                         List<Protocol> protocols) throws Exception {
        LabNode node = new LabNode(prefix);
        try {
            node.wire(prefix, podKeys, ipOf);
            for (String pod : podKeys) {
                node.servers.add(PodServers.start(node.podNetns.get(pod), ports, protocols));
            }
            node.enforcer = new PolicyEnforcer(NODE, pod -> node.veths.get(key(pod)), node.nft, new DropReasons(),
                    new PolicyRulesetGenerator.Options(PodMatch.ADDRESS, 100),
                    // the agent's loop with a short interval: the harness waits for each sync
                    new PolicyEnforcer.Config(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(1)));
            return node;
        } catch (Exception | AssertionError e) {
            node.close();
            throw e;
        }
    }

    private void wire(String prefix, List<String> podKeys, Function<String, String> ipOf) throws Exception {
        List<String> add = new ArrayList<>(List.of("netns add " + nodeNetns));
        for (int i = 0; i < podKeys.size(); i++) {
            String netns = prefix + "-" + podKeys.get(i).replace('/', '-');
            podNetns.put(podKeys.get(i), netns);
            veths.put(podKeys.get(i), "kv" + i);
            add.add("netns add " + netns);
        }
        created.add(nodeNetns);
        created.addAll(podNetns.values());
        LabProcesses.ipBatch(null, add);
        List<String> nodeOps = new ArrayList<>(List.of("link set lo up", "link add br0 type bridge", "link set br0 up"));
        for (String pod : podKeys) {
            String veth = veths.get(pod);
            nodeOps.add("link add " + veth + " type veth peer name eth0 netns " + podNetns.get(pod));
            nodeOps.add("link set " + veth + " master br0 up");
        }
        LabProcesses.ipBatch(nodeNetns, nodeOps);
        LabProcesses.run("ip", "netns", "exec", nodeNetns, "sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=1");
        for (String pod : podKeys) {
            LabProcesses.ipBatch(podNetns.get(pod),
                    List.of("link set lo up", "addr add " + ipOf.apply(pod) + "/16 dev eth0", "link set eth0 up"));
        }
    }

    /** The node namespace, where the policy table lives. */
    public String nodeNetns() {
        return nodeNetns;
    }

    public String netnsOf(String podKey) {
        return podNetns.get(podKey);
    }

    /**
     * Feeds the current objects as watch events (updates, and deletes for what vanished) and waits until the
     * enforcer has written a ruleset that includes them.
     */
    public void apply(List<HasMetadata> objects) {
        Map<String, HasMetadata> now = new LinkedHashMap<>();
        for (HasMetadata object : objects) {
            switch (object) {
                case Pod pod -> now.put("Pod/" + key(pod),
                        new PodBuilder(pod).editOrNewSpec().withNodeName(NODE).endSpec().build());
                case Namespace ns -> now.put("Namespace/" + ns.getMetadata().getName(), ns);
                case NetworkPolicy np -> now.put("NetworkPolicy/" + np.getMetadata().getNamespace() + "/"
                        + np.getMetadata().getName(), np);
                default -> {
                    // Services and EndpointSlices: the enforcer does not read them
                }
            }
        }
        for (var gone : fed.entrySet()) {
            if (!now.containsKey(gone.getKey())) {
                enforcer.onDelete(gone.getValue());
                generation++;
            }
        }
        for (HasMetadata object : now.values()) {
            enforcer.onUpdate(object);
            generation++;
        }
        boolean first = fed.isEmpty();
        fed.clear();
        fed.putAll(now);
        long failures = enforcer.status().failures();
        if (first) {
            enforcer.markSynced();
        }
        long want = generation;
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(() ->
                enforcer.status().appliedGeneration() >= want || enforcer.status().failures() > failures);
        if (enforcer.status().failures() > failures) {
            throw new AssertionError("the policy sync failed on " + nodeNetns + ": " + enforcer.status());
        }
    }

    /** Packets the policy drop rules have counted so far. */
    long droppedPackets() throws Exception {
        Matcher m = DROP_COUNTER.matcher(nft.list(PolicyLayout.TABLE));
        long total = 0;
        while (m.find()) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    @Override
    public void close() throws Exception {
        if (enforcer != null) {
            enforcer.close();
        }
        for (PodServers s : servers) {
            s.close();
        }
        // pods first: deleting a pod namespace takes its veth pair, then the node takes the bridge
        List<String> delete = new ArrayList<>();
        for (int i = created.size() - 1; i >= 0; i--) {
            delete.add("netns delete " + created.get(i));
        }
        if (!delete.isEmpty()) {
            LabProcesses.ipBatchIgnoringErrors(null, delete);
        }
    }
}
