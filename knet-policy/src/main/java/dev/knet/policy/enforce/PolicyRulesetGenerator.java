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
import dev.knet.policy.Rule;
import dev.knet.policy.Tier;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Generates the {@code inet knet-policy} table of one node from the policy model. Rules come from policies
 * (one or two per policy rule, only for policies selecting a pod of this node, plus a fixed few); pods live in sets and maps. The layout is described in the package documentation.
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
            TierWriter w = new TierWriter(index, d, local, subjectKey, sets, matches, rules,
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
        private final List<NftObject> rules;
        private final BitSet allPods;

        TierWriter(PolicyIndex index, Direction d, BitSet local, String[] subjectKey, SetBook sets,
                   MatchCompiler matches, List<NftObject> rules, BitSet allPods) {
            this.index = index;
            this.d = d;
            this.local = local;
            this.subjectKey = subjectKey;
            this.sets = sets;
            this.matches = matches;
            this.rules = rules;
            this.allPods = allPods;
        }

        void write(Tier tier) {
            String chain = PolicyLayout.tierChain(d, tier);
            List<CompiledPolicy> policies = index.policies().stream()
                    .filter(p -> p.tier() == tier && p.applies(d)).sorted(ORDER).toList();
            for (CompiledPolicy policy : policies) {
                BitSet subjects = index.subjects(policy);
                subjects.and(local);
                if (subjects.isEmpty()) {
                    continue; // selects no pod of this node
                }
                List<String> keys = subjects.stream().mapToObj(p -> subjectKey[p]).toList();
                String subject = options.podMatch().subject(d == Direction.EGRESS) + " @"
                        + sets.set(SetBook.Kind.SUBJECT, keys);
                for (Rule r : policy.rules(d)) {
                    String verdict = verdict(tier, policy, r);
                    Optional<String> peer = matches.peer(r, d);
                    if (peer.isEmpty()) {
                        continue; // no peer can ever match (an Accept rule over peers the model fails closed on)
                    }
                    for (String port : matches.ports(r, allPods == null ? subjects : allPods)) {
                        rule(rules, chain, join(subject, peer.get(), port, verdict));
                    }
                }
            }
            if (tier == Tier.NETWORK_POLICY) {
                isolationDrop(chain);
            }
            switch (tier) {
                case ADMIN -> rule(rules, chain, "goto " + PolicyLayout.tierChain(d, Tier.NETWORK_POLICY));
                case NETWORK_POLICY -> rule(rules, chain, "goto " + PolicyLayout.tierChain(d, Tier.BASELINE));
                case BASELINE, DEFAULT -> { } // falling off the end returns to forward: the default allow
            }
        }

        /**
         * After every allow rule (NetworkPolicy rules are a union): one drop for all pods some NetworkPolicy
         * isolates in this direction. Which policies isolate the pod is the model's to say when the drop is
         * explained, so a single rule serves every policy.
         */
        private void isolationDrop(String chain) {
            List<String> isolated = local.stream().filter(p -> !index.applied(p, Tier.NETWORK_POLICY, d).isEmpty())
                    .mapToObj(p -> subjectKey[p]).toList();
            if (isolated.isEmpty()) {
                return;
            }
            int id = reasons.register(Tier.NETWORK_POLICY, d, null, DropReason.ISOLATION, "NetworkPolicy", "isolation");
            rule(rules, chain, options.podMatch().subject(d == Direction.EGRESS) + " @"
                    + sets.set(SetBook.Kind.SUBJECT, isolated) + " " + logDrop(id));
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
