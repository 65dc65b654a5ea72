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
    void ruleCountGrowsLinearlyWithPolicies() {
        long r100 = generator.generate(Synthetic.cluster(300, 100), "n0", Synthetic::veth).ruleCount();
        long r1000 = generator.generate(Synthetic.cluster(300, 1000), "n0", Synthetic::veth).ruleCount();
        assertThat(r1000 - 16).isLessThanOrEqualTo(10 * r100);
        assertThat(r1000).isGreaterThan(5 * r100);
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
