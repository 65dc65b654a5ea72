package dev.knet.policy;

import dev.knet.model.net.Cidr;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;

import java.util.ArrayList;
import java.util.List;

/** Compiles a networking.k8s.io/v1 NetworkPolicy, acquiring its atoms from the table. */
final class NetworkPolicyCompiler {

    private final AtomTable atoms;
    private final List<Integer> acquired = new ArrayList<>();

    private NetworkPolicyCompiler(AtomTable atoms) {
        this.atoms = atoms;
    }

    static CompiledPolicy compile(NetworkPolicy policy, AtomTable atoms) {
        return new NetworkPolicyCompiler(atoms).compile(policy);
    }

    private CompiledPolicy compile(NetworkPolicy policy) {
        String ns = policy.getMetadata().getNamespace() == null ? "default" : policy.getMetadata().getNamespace();
        PolicyRef ref = PolicyRef.networkPolicy(ns, policy.getMetadata().getName());
        NetworkPolicySpec spec = policy.getSpec() == null ? new NetworkPolicySpec() : policy.getSpec();
        List<String> types = spec.getPolicyTypes() == null ? List.of() : spec.getPolicyTypes();
        boolean hasEgressRules = spec.getEgress() != null && !spec.getEgress().isEmpty();
        // API defaulting: without policyTypes, Ingress always, Egress only when egress rules exist
        boolean ingress = types.isEmpty() || types.contains("Ingress");
        boolean egress = types.isEmpty() ? hasEgressRules : types.contains("Egress");
        try {
            int subject = acquire(new AtomTable.Key.InNamespace(ns, Selector.of(spec.getPodSelector())));
            List<Rule> ingressRules = new ArrayList<>();
            if (spec.getIngress() != null) {
                for (var r : spec.getIngress()) {
                    ingressRules.add(rule(ingressRules.size(), ns, r.getFrom(), r.getPorts()));
                }
            }
            List<Rule> egressRules = new ArrayList<>();
            if (spec.getEgress() != null) {
                for (var r : spec.getEgress()) {
                    egressRules.add(rule(egressRules.size(), ns, r.getTo(), r.getPorts()));
                }
            }
            return new CompiledPolicy(ref, Tier.NETWORK_POLICY, 0, subject, ingress, egress,
                    ingressRules, egressRules, acquired);
        } catch (RuntimeException e) {
            acquired.forEach(atoms::release);
            throw e instanceof PolicyException pe ? pe
                    : new PolicyException("NetworkPolicy " + ref + ": " + e.getMessage(), e);
        }
    }

    private Rule rule(int index, String ns, List<NetworkPolicyPeer> peers, List<NetworkPolicyPort> ports) {
        List<PeerMatcher> matchers = new ArrayList<>();
        boolean all = peers == null || peers.isEmpty();
        if (!all) {
            for (NetworkPolicyPeer peer : peers) {
                matchers.add(peer(ns, peer));
            }
        }
        List<PortMatcher> portMatchers = new ArrayList<>();
        if (ports != null) {
            for (NetworkPolicyPort port : ports) {
                portMatchers.add(port(port));
            }
        }
        return new Rule(index, null, Action.ACCEPT, all, matchers, portMatchers);
    }

    private PeerMatcher peer(String ns, NetworkPolicyPeer peer) {
        if (peer.getIpBlock() != null) {
            IPBlock block = peer.getIpBlock();
            Cidr cidr = Cidr.parse(block.getCidr());
            List<Cidr> except = block.getExcept() == null ? List.of()
                    : block.getExcept().stream().map(Cidr::parse).toList();
            int atom = acquire(new AtomTable.Key.Block(cidr, except));
            String text = "ipBlock " + cidr + (except.isEmpty() ? "" : " except " + except);
            return new PeerMatcher.Block(atom, cidr, except, text);
        }
        Selector pods = Selector.of(peer.getPodSelector());
        if (peer.getNamespaceSelector() == null) {
            if (peer.getPodSelector() == null) {
                throw new PolicyException("peer with neither podSelector, namespaceSelector nor ipBlock");
            }
            int atom = acquire(new AtomTable.Key.InNamespace(ns, pods));
            return new PeerMatcher.Pods(atom, "podSelector " + pods + " in namespace " + ns);
        }
        Selector namespaces = Selector.of(peer.getNamespaceSelector());
        int atom = acquire(new AtomTable.Key.Across(namespaces, pods));
        String text = "namespaceSelector " + namespaces
                + (peer.getPodSelector() == null ? "" : " and podSelector " + pods);
        return new PeerMatcher.Pods(atom, text);
    }

    private static PortMatcher port(NetworkPolicyPort port) {
        Protocol protocol = Protocol.parse(port.getProtocol());
        IntOrString value = port.getPort();
        if (value == null) {
            return new PortMatcher.Range(protocol, 1, 65535);
        }
        if (value.getStrVal() != null) {
            String s = value.getStrVal();
            if (s.matches("\\d+")) {
                int n = Integer.parseInt(s);
                return new PortMatcher.Range(protocol, n, n);
            }
            return new PortMatcher.Named(protocol, s);
        }
        int from = value.getIntVal();
        int to = port.getEndPort() == null ? from : port.getEndPort();
        return new PortMatcher.Range(protocol, from, Math.max(from, to));
    }

    private int acquire(AtomTable.Key key) {
        int id = atoms.acquire(key);
        acquired.add(id);
        return id;
    }
}
