package dev.knet.policy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Full reason texts, as a user reads them. */
class ReasonTest {

    static final String DB_FROM_WEB = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-from-web, namespace: prod}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
              - from: [{podSelector: {matchLabels: {app: web}}}]
                ports: [{port: pg}]
            """;

    static final String WEB_EGRESS_DNS_ONLY = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web-egress, namespace: dev}
            spec:
              podSelector: {matchLabels: {app: web}}
              policyTypes: [Egress]
              egress:
              - ports: [{port: 53, protocol: UDP}]
              - to: [{ipBlock: {cidr: 10.244.0.0/16, except: [10.244.1.0/24]}}]
            """;

    @Test
    void deniedByIsolation() {
        Verdict v = Fixtures.engine(Fixtures.TWO_NAMESPACES, DB_FROM_WEB).check("dev/web", "prod/db", 5432, Protocol.TCP);
        assertThat(v.allowed()).isFalse();
        assertThat(v.reason()).isEqualTo(
                "denied: prod/db is isolated for ingress by prod/db-from-web, and no rule allows dev/web on TCP/5432");
    }

    @Test
    void allowedByNamedPortWithRuleAndPeer() {
        Verdict v = Fixtures.engine(Fixtures.TWO_NAMESPACES, DB_FROM_WEB).check("prod/web", "prod/db", 5432, Protocol.TCP);
        assertThat(v.reason()).isEqualTo("allowed: prod/web is not isolated for egress (no NetworkPolicy selects it, "
                + "no Baseline rule matches): default allow; NetworkPolicy prod/db-from-web allows ingress to prod/db "
                + "from prod/web (rule 0, peer 0: podSelector app=web in namespace prod, TCP/pg); "
                + Reasons.REPLIES);
    }

    @Test
    void namedPortDoesNotMatchOtherNumber() {
        Verdict v = Fixtures.engine(Fixtures.TWO_NAMESPACES, DB_FROM_WEB).check("prod/web", "prod/db", 5433, Protocol.TCP);
        assertThat(v.allowed()).isFalse();
    }

    @Test
    void egressIpBlockExceptAppliesToPodAddresses() {
        PolicyEngine engine = Fixtures.engine(Fixtures.TWO_NAMESPACES, WEB_EGRESS_DNS_ONLY);
        Verdict toProd = engine.check("dev/web", "prod/web", 80, Protocol.TCP);
        assertThat(toProd.reason()).isEqualTo(
                "denied: dev/web is isolated for egress by dev/web-egress, and no rule allows prod/web on TCP/80");
        Verdict toDev = engine.check("dev/web", "dev/db", 5432, Protocol.TCP);
        assertThat(toDev.reason()).startsWith("allowed: NetworkPolicy dev/web-egress allows egress from dev/web to dev/db "
                + "(rule 1, peer 0: ipBlock 10.244.0.0/16 except [10.244.1.0/24], all ports)");
        Verdict dns = engine.check("dev/web", "192.0.2.53", 53, Protocol.UDP);
        assertThat(dns.reason()).isEqualTo("allowed: NetworkPolicy dev/web-egress allows egress from dev/web to "
                + "192.0.2.53 (rule 0, any peer, UDP/53); no ingress policy applies to 192.0.2.53 (outside the cluster); "
                + Reasons.REPLIES);
    }

    @Test
    void loopbackIsAlwaysAllowed() {
        Verdict v = Fixtures.engine(Fixtures.TWO_NAMESPACES, DB_FROM_WEB).check("prod/db", "prod/db", 5432, Protocol.TCP);
        assertThat(v.allowed()).isTrue();
        assertThat(v.reason()).contains("loopback");
    }
}
