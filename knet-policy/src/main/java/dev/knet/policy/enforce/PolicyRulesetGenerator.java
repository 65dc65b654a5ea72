package dev.knet.policy.enforce;

import dev.knet.dataplane.nft.NftObject;
import dev.knet.dataplane.nft.NftObject.Chain;
import dev.knet.dataplane.nft.NftObject.ChainType;
import dev.knet.dataplane.nft.NftObject.Hook;
import dev.knet.dataplane.nft.NftObject.KeySpec;
import dev.knet.policy.ClusterSnapshot;
import dev.knet.policy.CompiledPolicy;
import dev.knet.policy.Direction;
import dev.knet.policy.PodUniverse;
import dev.knet.policy.PolicyIndex;
import dev.knet.policy.PolicyRef;
import dev.knet.policy.Protocol;
import dev.knet.policy.PortMatcher;
import dev.knet.policy.Rule;
import dev.knet.policy.Tier;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Generates the {@code inet knet-policy} table of one node from the policy model. Rules come from policies
 * (one to four per policy rule, in the class chain of each group of local pods the policy selects, plus a
 * fixed few); pods live in sets and maps. The layout is described in the package documentation.
 */
public final class PolicyRulesetGenerator {

    /** How pods are recognised and where drops are logged. */
    public record Options(PodMatch podMatch, int nflogGroup) {
        public static final Options DEFAULT = new Options(PodMatch.INTERFACE, 100);

        public Options {
            Objects.requireNonNull(podMatch, "podMatch");
            if (nflogGroup < 0 || nflogGroup > 65535) {
                throw new IllegalArgumentException("nflog group out of range: " + nflogGroup);
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(PolicyRulesetGenerator.class);

    private static final Comparator<CompiledPolicy> ORDER = Comparator.comparingInt(CompiledPolicy::priority)
            .thenComparing(p -> p.ref().namespace()).thenComparing(p -> p.ref().name());

    private final Options options;
    private final DropReasons reasons;

    public PolicyRulesetGenerator(Options options, DropReasons reasons) {
        this.options = Objects.requireNonNull(options, "options");
        this.reasons = Objects.requireNonNull(reasons, "reasons");
    }

    /**
     * The ruleset for node {@code node}: its pods are the pods scheduled there ({@code spec.nodeName}) with an
     * address, and {@code interfaceOf} names each one's host-side veth.
     */
    public PolicyRuleset generate(List<? extends HasMetadata> objects, String node, Function<Pod, String> interfaceOf) {
        return generate(PolicyIndex.of(ClusterSnapshot.of(objects)), localPods(objects, node, interfaceOf));
    }

    /** The pods scheduled on {@code node} that have an address, with their veth names. */
    public static List<LocalPod> localPods(List<? extends HasMetadata> objects, String node,
                                           Function<Pod, String> interfaceOf) {
        List<LocalPod> local = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object instanceof Pod pod && pod.getSpec() != null && node.equals(pod.getSpec().getNodeName())
                    && pod.getStatus() != null && pod.getStatus().getPodIP() != null) {
                String ns = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
                String key = ns + "/" + pod.getMetadata().getName();
                try {
                    local.add(new LocalPod(key, interfaceOf.apply(pod)));
                } catch (IllegalArgumentException | NullPointerException e) {
                    // one pod without a usable veth name must not stop enforcement for the others
                    LOG.warn("pod {} has no usable interface name, not enforced on this node: {}", key, e.getMessage());
                }
            }
        }
        return local;
    }

    public PolicyRuleset generate(ClusterSnapshot snapshot, List<LocalPod> localPods) {
        return generate(PolicyIndex.of(snapshot), localPods);
    }

    /** The ruleset for the given local pods over an already built model. Does not modify {@code index}. */
    public PolicyRuleset generate(PolicyIndex index, List<LocalPod> localPods) {
        PodUniverse universe = index.universe();
        BitSet local = new BitSet();
        String[] subjectKey = new String[universe.size()];
        for (LocalPod lp : localPods) {
            int id = universe.idOf(lp.key());
            String key = id < 0 ? null : subjectElement(lp, universe.pod(id).ip());
            if (key != null) {
                local.set(id);
                subjectKey[id] = key;
            }
        }
        SetBook sets = new SetBook(options.podMatch());
        MatchCompiler matches = new MatchCompiler(universe, index.atoms(), sets);
        List<NftObject> chains = new ArrayList<>();
        List<NftObject> rules = new ArrayList<>();
        Chain forward = Chain.base(PolicyLayout.TABLE, PolicyLayout.FORWARD, ChainType.FILTER, Hook.FORWARD,
                PolicyLayout.PRIORITY);
        chains.add(forward);
        PodMatch pm = options.podMatch();
        List<String> hairpin = new ArrayList<>();
        local.stream().forEach(p -> hairpin.add(subjectKey[p] + " . " + subjectKey[p]));
        sets.fixed(PolicyLayout.HAIRPIN, KeySpec.type(pm.type() + " . " + pm.type()), hairpin);
        // replies and packets of flows admitted before a policy change: conntrack decides, not policy
        rule(rules, PolicyLayout.FORWARD, "ct state established,related accept");
        rule(rules, PolicyLayout.FORWARD, "ct state invalid drop");
        // a pod reaching itself (through a Service VIP) is never subject to policy
        rule(rules, PolicyLayout.FORWARD, pm.subject(true) + " . " + pm.subject(false) + " @" + PolicyLayout.HAIRPIN + " accept");
        BitSet allPods = new BitSet();
        allPods.set(0, universe.size());
        for (Direction d : List.of(Direction.EGRESS, Direction.INGRESS)) {
            TierWriter w = new TierWriter(index, d, local, subjectKey, sets, matches, chains, rules,
                    d == Direction.INGRESS ? null : allPods);
            for (Tier tier : List.of(Tier.ADMIN, Tier.NETWORK_POLICY, Tier.BASELINE)) {
                chains.add(Chain.regular(PolicyLayout.TABLE, PolicyLayout.tierChain(d, tier)));
                w.write(tier);
            }
            Map<String, String> dispatch = new TreeMap<>();
            local.stream().forEach(p -> firstTier(index, p, d)
                    .ifPresent(t -> dispatch.put(subjectKey[p], "jump " + PolicyLayout.tierChain(d, t))));
            sets.verdictMap(PolicyLayout.dispatchMap(d), dispatch);
            rule(rules, PolicyLayout.FORWARD, pm.subject(d == Direction.EGRESS) + " vmap @" + PolicyLayout.dispatchMap(d));
        }
        List<NftObject> structure = new ArrayList<>(sets.definitions());
        structure.addAll(chains);
        // a rule identical to an earlier one in its chain can never decide a packet (every policy rule ends in a
        // verdict), and policies that repeat each other's rules are common: the kernel need not load them twice
        structure.addAll(rules.stream().distinct().toList());
        return new PolicyRuleset(structure, sets.elements());
    }

    /** The first tier with a policy for the pod in this direction; empty means "not selected: skip". */
    private static Optional<Tier> firstTier(PolicyIndex index, int pod, Direction d) {
        for (Tier t : List.of(Tier.ADMIN, Tier.NETWORK_POLICY, Tier.BASELINE)) {
            if (!index.applied(pod, t, d).isEmpty()) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private String subjectElement(LocalPod pod, String ip) {
        return switch (options.podMatch()) {
            case INTERFACE -> "\"" + pod.interfaceName() + "\"";
            case ADDRESS -> ip != null && ip.indexOf(':') < 0 ? ip : null;
        };
    }

    private static void rule(List<NftObject> rules, String chain, String text) {
        rules.add(new NftObject.Rule(PolicyLayout.TABLE, chain, text));
    }

    /** Writes one direction's tier chains; see the package documentation for the control flow. */
    private final class TierWriter {
        private final PolicyIndex index;
        private final Direction d;
        private final BitSet local;
        private final String[] subjectKey;
        private final SetBook sets;
        private final MatchCompiler matches;
        private final List<NftObject> chains;
        private final List<NftObject> rules;
        private final BitSet allPods;

        TierWriter(PolicyIndex index, Direction d, BitSet local, String[] subjectKey, SetBook sets,
                   MatchCompiler matches, List<NftObject> chains, List<NftObject> rules, BitSet allPods) {
            this.index = index;
            this.d = d;
            this.local = local;
            this.subjectKey = subjectKey;
            this.sets = sets;
            this.matches = matches;
            this.chains = chains;
            this.rules = rules;
            this.allPods = allPods;
        }

        /**
         * The tier chain only dispatches: local pods with the same policies in this tier share a class chain
         * holding just those policies' rules, entered by {@code goto} from a verdict map. A new flow's first
         * packet therefore walks the rules of the policies selecting its pod, not those of every policy on the
         * node (the walk is linear: with one chain per tier, a pod under few policies paid for all of them).
         * A policy selecting pods of several classes is repeated in each; classes follow selections, which
         * policies of one application usually share.
         */
        void write(Tier tier) {
            String chain = PolicyLayout.tierChain(d, tier);
            Map<List<PolicyRef>, BitSet> classes = new LinkedHashMap<>();
            Map<List<PolicyRef>, List<CompiledPolicy>> policiesOf = new HashMap<>();
            local.stream().forEach(pod -> {
                List<CompiledPolicy> applied = index.applied(pod, tier, d).stream().filter(p -> p.applies(d))
                        .sorted(ORDER).toList();
                if (!applied.isEmpty()) {
                    List<PolicyRef> key = applied.stream().map(CompiledPolicy::ref).toList();
                    classes.computeIfAbsent(key, k -> new BitSet()).set(pod);
                    policiesOf.putIfAbsent(key, applied);
                }
            });
            Map<String, String> dispatch = new TreeMap<>();
            int n = 0;
            for (var entry : classes.entrySet()) {
                String classChain = chain + "-" + n++;
                chains.add(Chain.regular(PolicyLayout.TABLE, classChain));
                entry.getValue().stream().forEach(pod -> dispatch.put(subjectKey[pod], "goto " + classChain));
                writeClass(tier, classChain, policiesOf.get(entry.getKey()), entry.getValue());
            }
            if (!dispatch.isEmpty()) {
                String map = chain + "-classes";
                sets.verdictMap(map, dispatch);
                rule(rules, chain, options.podMatch().subject(d == Direction.EGRESS) + " vmap @" + map);
            }
            // pods without a policy in this tier go on to the next one
            switch (tier) {
                case ADMIN -> rule(rules, chain, "goto " + PolicyLayout.tierChain(d, Tier.NETWORK_POLICY));
                case NETWORK_POLICY -> rule(rules, chain, "goto " + PolicyLayout.tierChain(d, Tier.BASELINE));
                case BASELINE, DEFAULT -> { } // falling off the end returns to forward: the default allow
            }
        }

        private void writeClass(Tier tier, String chain, List<CompiledPolicy> policies, BitSet pods) {
            BitSet destinations = allPods == null ? pods : allPods;
            // NetworkPolicy rules all allow and form a union, so rules with the same peer merge into one rule
            // over the union of their ports: policies repeating a selection cost one rule, not one each
            Map<String, List<PortMatcher>> allowPorts = new LinkedHashMap<>();
            Set<String> allowAllPorts = new HashSet<>();
            Map<String, Integer> uses = new HashMap<>();
            for (CompiledPolicy policy : policies) {
                for (Rule r : policy.rules(d)) {
                    String verdict = verdict(tier, policy, r);
                    List<String> peers = matches.peers(r, d);
                    // no peers: none can ever match (an Accept rule over peers the model fails closed on)
                    for (String peer : peers) {
                        if (tier == Tier.NETWORK_POLICY && verdict.equals("return")) {
                            allowPorts.computeIfAbsent(peer, k -> new ArrayList<>()).addAll(r.ports());
                            uses.merge(peer, 1, Integer::sum);
                            if (r.ports().isEmpty()) {
                                allowAllPorts.add(peer);
                            }
                            continue;
                        }
                        for (String port : matches.ports(r.ports(), destinations)) {
                            rule(rules, chain, join(peer, port, verdict));
                        }
                    }
                }
            }
            // peers shared by the most rules first (pod selections, usually): a new flow's first packet stops
            // at the first allowing rule, and the order of allow rules changes nothing else
            List<String> order = new ArrayList<>(allowPorts.keySet());
            order.sort(Comparator.comparing(uses::get, Comparator.reverseOrder()));
            // and the other way round: the peers allowed on one port expression merge into one rule over the union
            // of their addresses (allow rules are a union of peer x port pairs, so grouping them by port changes
            // nothing), so a pod under many policies, each with its own ipBlock, costs a set lookup per port
            // expression, not a rule per policy on the first packet of every new flow
            Map<String, List<String>> peersByPort = new LinkedHashMap<>();
            for (String peer : order) {
                List<String> ports = matches.ports(allowAllPorts.contains(peer) ? List.of() : allowPorts.get(peer),
                        destinations);
                if (peer.isEmpty()) { // any peer: nothing to merge with
                    ports.forEach(port -> rule(rules, chain, join(peer, port, "return")));
                } else {
                    ports.forEach(port -> peersByPort.computeIfAbsent(port, k -> new ArrayList<>()).add(peer));
                }
            }
            // numbered ports of one protocol on several expressions: one concatenated (peer . port) set instead
            for (Protocol protocol : Protocol.values()) {
                Map<String, List<String>> numbered = new LinkedHashMap<>();
                peersByPort.forEach((port, peers) -> {
                    if (matches.numberedPorts(port, protocol).isPresent()) {
                        numbered.put(port, peers);
                    }
                });
                if (numbered.size() > 1) {
                    matches.pairs(protocol, numbered, d).ifPresent(pairs -> {
                        rule(rules, chain, join(pairs, "return"));
                        numbered.keySet().forEach(peersByPort::remove);
                    });
                }
            }
            peersByPort.forEach((port, peers) -> rule(rules, chain,
                    join(peers.size() == 1 ? peers.getFirst() : matches.union(peers, d), port, "return")));
            // a class chain is entered by goto: falling off its end would return to forward, i.e. allow
            switch (tier) {
                case ADMIN -> rule(rules, chain, "goto " + PolicyLayout.tierChain(d, Tier.NETWORK_POLICY));
                // NetworkPolicy rules are a union: a pod some NetworkPolicy selects is isolated, and no rule of
                // its class allowed the packet. Which policies isolate it is the model's to say when the drop
                // is explained, so one reason serves every class.
                case NETWORK_POLICY -> rule(rules, chain, logDrop(reasons.register(Tier.NETWORK_POLICY, d, null,
                        DropReason.ISOLATION, "NetworkPolicy", "isolation")));
                case BASELINE, DEFAULT -> { } // no baseline rule decided: the default allow
            }
        }

        private String verdict(Tier tier, CompiledPolicy policy, Rule r) {
            return switch (r.action()) {
                case ACCEPT -> "return";
                case DENY -> drop(tier, policy, r.index(), r.label());
                // Admin Pass skips the rest of the Admin tier; Baseline Pass leaves the default (allow)
                case PASS -> tier == Tier.ADMIN ? "goto " + PolicyLayout.tierChain(d, Tier.NETWORK_POLICY) : "return";
            };
        }

        private String drop(Tier tier, CompiledPolicy policy, int ruleIndex, String label) {
            return logDrop(reasons.register(tier, d, policy.ref(), ruleIndex, policy.display(), label));
        }

        private String logDrop(int id) {
            return "counter log prefix \"" + PolicyLayout.LOG_PREFIX + id + " \" group " + options.nflogGroup() + " drop";
        }
    }

    private static String join(String... parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            if (!p.isEmpty()) {
                b.append(b.isEmpty() ? "" : " ").append(p);
            }
        }
        return b.toString();
    }
}
