package dev.knet.policy.enforce;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Rules come from policies; pods only add set elements. */
class RuleCountTest {

    private final PolicyRulesetGenerator generator =
            new PolicyRulesetGenerator(PolicyRulesetGenerator.Options.DEFAULT, new DropReasons());

    @Test
    void ruleCountDoesNotGrowWithPods() {
        PolicyRuleset small = generator.generate(Synthetic.cluster(300, 1000), "n0", Synthetic::veth);
        PolicyRuleset big = generator.generate(Synthetic.cluster(600, 1000), "n0", Synthetic::veth);
        assertThat(big.ruleCount()).isEqualTo(small.ruleCount());
        assertThat(big.elementCount()).isGreaterThan(small.elementCount());
        // per policy: an ingress rule as numbered ports and as named ports, and an egress rule; plus the
        // fixed rules (forward chain, tier ends, one isolation drop per direction)
        assertThat(small.ruleCount()).isLessThanOrEqualTo(3L * 1000 + 16);
    }

    @Test
    void ruleCountGrowsAtMostLinearlyWithPoliciesAndTheRestGoesToSetElements() {
        PolicyRuleset p100 = generator.generate(Synthetic.cluster(300, 100), "n0", Synthetic::veth);
        PolicyRuleset p1000 = generator.generate(Synthetic.cluster(300, 1000), "n0", Synthetic::veth);
        assertThat(p1000.ruleCount() - 16).isLessThanOrEqualTo(10 * p100.ruleCount());
        // allow rules merge their peers per port expression, and numbered ports into (peer . port) sets: what
        // more policies add is mostly set elements, which a packet finds by lookup, not by walking rules
        assertThat(p1000.ruleCount()).isGreaterThanOrEqualTo(p100.ruleCount());
        assertThat(p1000.elementCount()).isGreaterThan(p100.elementCount());
    }

    @Test
    void aPolicyAllowingOtherPeersOnTheSamePortsAddsNoRules() {
        String otherBlock = Scenario.NP_DB.replaceFirst("name: [a-z-]+", "name: db-from-lab")
                .replace("{namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}", "{ipBlock: {cidr: 172.16.0.0/12}}")
                .replace("ipBlock: {cidr: 192.168.0.0/16, except: [192.168.1.0/24]}", "ipBlock: {cidr: 10.99.0.0/16}");
        assertThat(otherBlock).contains("172.16.0.0/12").doesNotContain("app: web");
        PolicyRuleset one = generator.generate(Scenario.parse(Scenario.TWO_NAMESPACES, Scenario.NP_DB), "n0", Scenario::veth);
        PolicyRuleset two = generator.generate(Scenario.parse(Scenario.TWO_NAMESPACES, Scenario.NP_DB, otherBlock), "n0",
                Scenario::veth);
        assertThat(two.ruleCount()).isEqualTo(one.ruleCount());
        assertThat(two.elementCount()).isGreaterThan(one.elementCount());
    }

    @Test
    void aPolicyRepeatingAnotherAddsNoRules() {
        String copy = Scenario.NP_DB.replaceFirst("name: [a-z-]+", "name: db-copy");
        assertThat(copy).isNotEqualTo(Scenario.NP_DB);
        PolicyRuleset one = generator.generate(Scenario.parse(Scenario.TWO_NAMESPACES, Scenario.NP_DB), "n0", Scenario::veth);
        PolicyRuleset two = generator.generate(Scenario.parse(Scenario.TWO_NAMESPACES, Scenario.NP_DB, copy), "n0",
                Scenario::veth);
        assertThat(two.ruleCount()).isEqualTo(one.ruleCount());
    }
}
