package dev.knet.policy.enforce;

import dev.knet.policy.Direction;
import dev.knet.policy.PolicyEngine;
import dev.knet.policy.PolicyRef;
import dev.knet.policy.Protocol;
import dev.knet.policy.Tier;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Ids are stable per (policy, direction, rule); explanations fall back to the rule when the model moved on. */
class DropReasonsTest {

    @Test
    void idsAreStableAndNeverReused() {
        DropReasons reasons = new DropReasons();
        PolicyRef deny = PolicyRef.networkPolicy("x", "deny-all");
        int a = reasons.register(Tier.NETWORK_POLICY, Direction.INGRESS, deny, DropReason.ISOLATION, "NetworkPolicy x/deny-all", "isolation");
        int b = reasons.register(Tier.NETWORK_POLICY, Direction.EGRESS, deny, DropReason.ISOLATION, "NetworkPolicy x/deny-all", "isolation");
        assertThat(reasons.register(Tier.NETWORK_POLICY, Direction.INGRESS, deny, DropReason.ISOLATION,
                "NetworkPolicy x/deny-all", "isolation")).isEqualTo(a);
        assertThat(b).isNotEqualTo(a);
        assertThat(reasons.forPrefix("knet-drop:" + b + " ")).get().extracting(DropReason::direction).isEqualTo(Direction.EGRESS);
        assertThat(reasons.forPrefix("other:1")).isEmpty();
        assertThat(reasons.forPrefix("knet-drop:999")).isEmpty();
    }

    @Test
    void explainsWithTheModelOrTheRuleItself() {
        var objects = Scenario.parse(Scenario.TWO_NAMESPACES, """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny-all, namespace: prod}
                spec: {podSelector: {}, policyTypes: [Ingress]}
                """);
        DropReasons reasons = new DropReasons();
        int id = reasons.register(Tier.NETWORK_POLICY, Direction.INGRESS, null, DropReason.ISOLATION, "NetworkPolicy",
                "isolation");
        String before = reasons.explain("knet-drop:" + id + " ", "10.244.2.10", 42311, "10.244.1.11", 80, Protocol.TCP);
        assertThat(before).isEqualTo("dropped 10.244.2.10:42311 -> 10.244.1.11:80/TCP: 10.244.1.11 is isolated for "
                + "ingress by a NetworkPolicy, and no rule allows 10.244.2.10");
        reasons.update(PolicyEngine.of(objects).index());
        String after = reasons.explain("knet-drop:" + id + " ", "10.244.2.10", 42311, "10.244.1.11", 80, Protocol.TCP);
        assertThat(after).isEqualTo("dropped 10.244.2.10:42311 -> 10.244.1.11:80/TCP: prod/db is isolated for ingress "
                + "by prod/deny-all, and no rule allows dev/web on TCP/80");
        assertThat(reasons.explain("knet-drop:77 ", "1.2.3.4", 1, "5.6.7.8", 2, Protocol.UDP))
                .isEqualTo("dropped 1.2.3.4:1 -> 5.6.7.8:2/UDP: by an unknown rule (knet-drop:77)");
    }
}
