package dev.knet.store.validation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkPolicyValidationTest {

    record Case(String name, String spec, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("no podSelector", """
                          policyTypes: [Ingress]
                        """, "spec.podSelector: Required value"),
                new Case("In without values", """
                          podSelector: {matchExpressions: [{key: pod, operator: In}]}
                        """, "spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"),
                new Case("Exists with values", """
                          podSelector: {matchExpressions: [{key: pod, operator: Exists, values: [a]}]}
                        """, "spec.podSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
                new Case("unknown operator in a namespaceSelector", """
                          podSelector: {}
                          ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: ns, operator: Equals, values: [x]}]}}]}]
                        """, "spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].operator: Invalid value: \"Equals\": not a valid selector operator"),
                new Case("bad matchLabels value in a peer podSelector", """
                          podSelector: {}
                          egress: [{to: [{podSelector: {matchLabels: {pod: 'a b'}}}]}]
                        """, "spec.egress[0].to[0].podSelector.matchLabels: Invalid value: \"a b\": " + AdmissionFixture.LABEL_VALUE_MSG),
                new Case("cidr prefix too long", """
                          podSelector: {}
                          ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/33}}]}]
                        """, "spec.ingress[0].from[0].ipBlock.cidr: Invalid value: \"10.0.0.0/33\": " + AdmissionFixture.CIDR_MSG),
                new Case("cidr without prefix", """
                          podSelector: {}
                          ingress: [{from: [{ipBlock: {cidr: 10.0.0.1}}]}]
                        """, "spec.ingress[0].from[0].ipBlock.cidr: Invalid value: \"10.0.0.1\": " + AdmissionFixture.CIDR_MSG),
                new Case("except outside cidr", """
                          podSelector: {}
                          ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.1.0.0/24]}}]}]
                        """, "spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: \"10.1.0.0/24\": must be a strict subset of `cidr`"),
                new Case("except equal to cidr", """
                          podSelector: {}
                          egress: [{to: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.0.0.0/16]}}]}]
                        """, "spec.egress[0].to[0].ipBlock.except[0]: Invalid value: \"10.0.0.0/16\": must be a strict subset of `cidr`"),
                new Case("ipBlock with a selector in one peer", """
                          podSelector: {}
                          ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/16}, podSelector: {}}]}]
                        """, "spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer"),
                new Case("empty peer", """
                          podSelector: {}
                          ingress: [{from: [{}]}]
                        """, "spec.ingress[0].from[0]: Required value: must specify a peer"),
                new Case("endPort with a named port", """
                          podSelector: {}
                          egress: [{ports: [{port: web, endPort: 9000}]}]
                        """, "spec.egress[0].ports[0].endPort: Invalid value: \"9000\": may not be specified when `port` is non-numeric"),
                new Case("endPort below port", """
                          podSelector: {}
                          egress: [{ports: [{port: 9000, endPort: 8000}]}]
                        """, "spec.egress[0].ports[0].endPort: Invalid value: \"8000\": must be greater than or equal to `port`"),
                new Case("endPort without port", """
                          podSelector: {}
                          ingress: [{ports: [{endPort: 8000}]}]
                        """, "spec.ingress[0].ports[0].endPort: Invalid value: \"8000\": may not be specified when `port` is not specified"),
                new Case("port zero", """
                          podSelector: {}
                          ingress: [{ports: [{port: 0}]}]
                        """, "spec.ingress[0].ports[0].port: Invalid value: \"0\": must be between 1 and 65535, inclusive"),
                new Case("unknown protocol", """
                          podSelector: {}
                          ingress: [{ports: [{protocol: ICMP, port: 80}]}]
                        """, "spec.ingress[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"TCP\", \"UDP\", \"SCTP\""),
                new Case("unknown policy type", """
                          podSelector: {}
                          policyTypes: [Both]
                        """, "spec.policyTypes[0]: Unsupported value: \"Both\": supported values: \"Ingress\", \"Egress\""),
                new Case("three policy types", """
                          podSelector: {}
                          policyTypes: [Ingress, Egress, Ingress]
                        """, "spec.policyTypes: Invalid value: \"[]string{\"Ingress\", \"Egress\", \"Ingress\"}\": may not specify more than two policyTypes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectsInvalidPolicy(Case c) {
        String yaml = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\nspec:\n" + c.spec();

        assertThat(AdmissionFixture.rejection(yaml).getMessage())
                .isEqualTo("NetworkPolicy default/np is invalid: " + c.expected());
    }
}
