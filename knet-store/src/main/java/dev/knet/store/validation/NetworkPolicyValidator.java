package dev.knet.store.validation;

import dev.knet.model.net.Cidr;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;

import java.util.List;

/** NetworkPolicy (networking.k8s.io/v1), following Kubernetes' ValidateNetworkPolicySpec. */
public final class NetworkPolicyValidator {

    public static final List<String> POLICY_TYPES = List.of("Ingress", "Egress");
    /** NetworkPolicy lists its protocols in this order, unlike Services. */
    public static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");
    private static final FieldPath SPEC = FieldPath.of("spec");

    private NetworkPolicyValidator() {
    }

    public static void validate(NetworkPolicy policy, FieldErrors errs) {
        MetadataValidator.validate(policy.getMetadata(), NameRule.DNS1123_SUBDOMAIN, true, errs);
        NetworkPolicySpec spec = policy.getSpec();
        if (spec == null) {
            errs.required(SPEC);
            return;
        }
        // podSelector is required by the schema even though {} (all pods) is the usual value.
        if (spec.getPodSelector() == null) {
            errs.required(SPEC.child("podSelector"));
        } else {
            SelectorValidator.validate(spec.getPodSelector(), SPEC.child("podSelector"), errs);
        }
        List<NetworkPolicyIngressRule> ingress = orEmpty(spec.getIngress());
        for (int i = 0; i < ingress.size(); i++) {
            FieldPath rule = SPEC.child("ingress").index(i);
            ports(orEmpty(ingress.get(i).getPorts()), rule.child("ports"), errs);
            peers(orEmpty(ingress.get(i).getFrom()), rule.child("from"), errs);
        }
        List<NetworkPolicyEgressRule> egress = orEmpty(spec.getEgress());
        for (int i = 0; i < egress.size(); i++) {
            FieldPath rule = SPEC.child("egress").index(i);
            ports(orEmpty(egress.get(i).getPorts()), rule.child("ports"), errs);
            peers(orEmpty(egress.get(i).getTo()), rule.child("to"), errs);
        }
        List<String> types = orEmpty(spec.getPolicyTypes());
        if (types.size() > POLICY_TYPES.size()) {
            errs.invalid(SPEC.child("policyTypes"), FieldErrors.goList(types), "may not specify more than two policyTypes");
            return;
        }
        for (int i = 0; i < types.size(); i++) {
            if (!POLICY_TYPES.contains(types.get(i))) {
                errs.notSupported(SPEC.child("policyTypes").index(i), types.get(i), POLICY_TYPES);
            }
        }
    }

    private static void ports(List<NetworkPolicyPort> ports, FieldPath path, FieldErrors errs) {
        for (int i = 0; i < ports.size(); i++) {
            NetworkPolicyPort port = ports.get(i);
            FieldPath p = path.index(i);
            if (port.getProtocol() != null && !PROTOCOLS.contains(port.getProtocol())) {
                errs.notSupported(p.child("protocol"), port.getProtocol(), PROTOCOLS);
            }
            IntOrString value = port.getPort();
            Integer endPort = port.getEndPort();
            if (value == null || value.getValue() == null) {
                if (endPort != null) {
                    errs.invalid(p.child("endPort"), endPort, "may not be specified when `port` is not specified");
                }
            } else if (value.getValue() instanceof Integer number) {
                errs.invalidEach(p.child("port"), number, Names.portNumber(number));
                if (endPort != null) {
                    if (endPort < number) {
                        errs.invalid(p.child("endPort"), endPort, "must be greater than or equal to `port`");
                    }
                    errs.invalidEach(p.child("endPort"), endPort, Names.portNumber(endPort));
                }
            } else {
                String name = value.getValue().toString();
                if (endPort != null) {
                    errs.invalid(p.child("endPort"), endPort, "may not be specified when `port` is non-numeric");
                }
                errs.invalidEach(p.child("port"), name, Names.portName(name));
            }
        }
    }

    private static void peers(List<NetworkPolicyPeer> peers, FieldPath path, FieldErrors errs) {
        for (int i = 0; i < peers.size(); i++) {
            NetworkPolicyPeer peer = peers.get(i);
            FieldPath p = path.index(i);
            int kinds = 0;
            if (peer.getPodSelector() != null) {
                kinds++;
                SelectorValidator.validate(peer.getPodSelector(), p.child("podSelector"), errs);
            }
            if (peer.getNamespaceSelector() != null) {
                kinds++;
                SelectorValidator.validate(peer.getNamespaceSelector(), p.child("namespaceSelector"), errs);
            }
            if (peer.getIpBlock() != null) {
                kinds++;
                ipBlock(peer.getIpBlock(), p.child("ipBlock"), errs);
            }
            if (kinds == 0) {
                errs.required(p, "must specify a peer");
            } else if (kinds > 1 && peer.getIpBlock() != null) {
                errs.forbidden(p, "may not specify both ipBlock and another peer");
            }
        }
    }

    /** Host bits in cidr are tolerated (old e2e tests write them); every except must lie strictly inside. */
    private static void ipBlock(IPBlock block, FieldPath path, FieldErrors errs) {
        String cidrText = block.getCidr() == null ? "" : block.getCidr();
        if (cidrText.isEmpty()) {
            errs.required(path.child("cidr"));
            return;
        }
        if (!Names.isCidr(cidrText)) {
            errs.invalid(path.child("cidr"), cidrText, Names.CIDR_MSG);
            return;
        }
        Cidr cidr = Cidr.parse(cidrText);
        List<String> except = orEmpty(block.getExcept());
        for (int i = 0; i < except.size(); i++) {
            FieldPath e = path.child("except").index(i);
            String text = except.get(i);
            if (!Names.isCidr(text)) {
                errs.invalid(e, text, Names.CIDR_MSG);
                continue;
            }
            Cidr inner = Cidr.parse(text);
            if (!cidr.contains(inner) || inner.prefixLength() <= cidr.prefixLength()) {
                errs.invalid(e, text, "must be a strict subset of `cidr`");
            }
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
