package dev.knet.policy;

import dev.knet.model.KnetJson;
import dev.knet.model.net.Cidr;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compiles a policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy. Reads the current upstream
 * shape (rules with {@code protocols: [{tcp|udp|sctp: {destinationPort: {number|range}}},
 * {destinationNamedPort}]}) and the earlier {@code ports: [{portNumber|portRange|namedPort}]}.
 * Peers the model cannot evaluate (nodes, domainNames, unknown fields) fail closed as upstream
 * asks: an Accept rule matches nothing through them, a Deny or Pass rule matches everything.
 */
final class ClusterPolicyCompiler {

    private final AtomTable atoms;
    private final List<Integer> acquired = new ArrayList<>();

    private ClusterPolicyCompiler(AtomTable atoms) {
        this.atoms = atoms;
    }

    static CompiledPolicy compile(GenericKubernetesResource policy, AtomTable atoms) {
        return new ClusterPolicyCompiler(atoms).compile(policy);
    }

    private CompiledPolicy compile(GenericKubernetesResource policy) {
        PolicyRef ref = PolicyRef.clusterPolicy(policy.getMetadata().getName());
        try {
            Map<String, Object> spec = map(policy.getAdditionalProperties().get("spec"));
            Tier tier = switch (String.valueOf(spec.get("tier"))) {
                case "Admin" -> Tier.ADMIN;
                case "Baseline" -> Tier.BASELINE;
                default -> throw new PolicyException("tier must be Admin or Baseline, not \"" + spec.get("tier") + "\"");
            };
            int priority = spec.get("priority") instanceof Number n ? n.intValue() : 0;
            int subject = acquire(subject(map(spec.get("subject"))));
            List<Rule> ingress = rules(spec.get("ingress"), "from");
            List<Rule> egress = rules(spec.get("egress"), "to");
            return new CompiledPolicy(ref, tier, priority, subject, !ingress.isEmpty(), !egress.isEmpty(),
                    ingress, egress, acquired);
        } catch (RuntimeException e) {
            acquired.forEach(atoms::release);
            throw new PolicyException("ClusterNetworkPolicy " + ref + ": " + e.getMessage(), e);
        }
    }

    private static AtomTable.Key subject(Map<String, Object> subject) {
        if (subject.containsKey("namespaces")) {
            return new AtomTable.Key.Across(selector(subject.get("namespaces")), Selector.ALL);
        }
        if (subject.containsKey("pods")) {
            Map<String, Object> pods = map(subject.get("pods"));
            return new AtomTable.Key.Across(selector(pods.get("namespaceSelector")), selector(pods.get("podSelector")));
        }
        throw new PolicyException("subject needs namespaces or pods");
    }

    private List<Rule> rules(Object list, String peersField) {
        List<Rule> rules = new ArrayList<>();
        for (Object item : list(list)) {
            Map<String, Object> rule = map(item);
            Action action = Action.parse((String) rule.get("action"));
            List<PeerMatcher> peers = new ArrayList<>();
            for (Object peer : list(rule.get(peersField))) {
                peers.addAll(peer(map(peer), action));
            }
            List<PortMatcher> ports = new ArrayList<>();
            for (Object p : list(rule.get("protocols"))) {
                ports.addAll(protocol(map(p)));
            }
            for (Object p : list(rule.get("ports"))) {
                ports.add(legacyPort(map(p)));
            }
            rules.add(new Rule(rules.size(), (String) rule.get("name"), action, false, peers, ports));
        }
        return rules;
    }

    private List<PeerMatcher> peer(Map<String, Object> peer, Action action) {
        if (peer.containsKey("namespaces")) {
            Selector ns = selector(peer.get("namespaces"));
            return List.of(new PeerMatcher.Pods(acquire(new AtomTable.Key.Across(ns, Selector.ALL)), "namespaces " + ns));
        }
        if (peer.containsKey("pods")) {
            Map<String, Object> pods = map(peer.get("pods"));
            Selector ns = selector(pods.get("namespaceSelector"));
            Selector podSel = selector(pods.get("podSelector"));
            int atom = acquire(new AtomTable.Key.Across(ns, podSel));
            return List.of(new PeerMatcher.Pods(atom, "pods " + podSel + " in namespaces " + ns));
        }
        if (peer.containsKey("networks")) {
            List<PeerMatcher> blocks = new ArrayList<>();
            for (Object n : list(peer.get("networks"))) {
                Cidr cidr = Cidr.parse(String.valueOf(n));
                int atom = acquire(new AtomTable.Key.Block(cidr, List.of()));
                blocks.add(new PeerMatcher.Block(atom, cidr, List.of(), "network " + cidr));
            }
            return blocks;
        }
        String what = peer.keySet().isEmpty() ? "empty peer" : "peer " + peer.keySet();
        return action == Action.ACCEPT ? List.of()
                : List.of(new PeerMatcher.Everything(what + " (not modelled; fails closed)"));
    }

    private static List<PortMatcher> protocol(Map<String, Object> p) {
        List<PortMatcher> out = new ArrayList<>();
        for (Protocol protocol : Protocol.values()) {
            Object body = p.get(protocol.name().toLowerCase(java.util.Locale.ROOT));
            if (body != null) {
                Map<String, Object> port = map(map(body).get("destinationPort"));
                out.add(range(protocol, port.get("number"), map(port.get("range"))));
            }
        }
        if (p.get("destinationNamedPort") instanceof String name) {
            out.add(new PortMatcher.Named(null, name));
        }
        return out;
    }

    private static PortMatcher legacyPort(Map<String, Object> p) {
        if (p.get("namedPort") instanceof String name) {
            return new PortMatcher.Named(null, name);
        }
        if (p.containsKey("portNumber")) {
            Map<String, Object> n = map(p.get("portNumber"));
            return range(Protocol.parse((String) n.get("protocol")), n.get("port"), Map.of());
        }
        Map<String, Object> r = map(p.get("portRange"));
        return range(Protocol.parse((String) r.get("protocol")), null, r);
    }

    private static PortMatcher range(Protocol protocol, Object number, Map<String, Object> range) {
        if (number instanceof Number n) {
            return new PortMatcher.Range(protocol, n.intValue(), n.intValue());
        }
        if (range.get("start") instanceof Number s && range.get("end") instanceof Number e) {
            return new PortMatcher.Range(protocol, s.intValue(), e.intValue());
        }
        return new PortMatcher.Range(protocol, 1, 65535);
    }

    private static Selector selector(Object value) {
        if (value == null) {
            return Selector.ALL;
        }
        return Selector.of(KnetJson.serialization().convertValue(value, LabelSelector.class));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new PolicyException("expected an object, found " + value);
    }

    private static List<?> list(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> l) {
            return l;
        }
        throw new PolicyException("expected a list, found " + value);
    }

    private int acquire(AtomTable.Key key) {
        int id = atoms.acquire(key);
        acquired.add(id);
        return id;
    }
}
