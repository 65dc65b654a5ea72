package dev.knet.policy.enforce;

import dev.knet.dataplane.nft.NftCommand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Loads a generated ruleset into a scratch namespace with the real nft, lists it back, and replaces it. */
@Tag("lab")
class PolicyLabTest {

    static boolean labAvailable() {
        return "root".equals(System.getProperty("user.name"))
                && (Files.isExecutable(Path.of("/usr/sbin/nft")) || Files.isExecutable(Path.of("/sbin/nft")));
    }

    static int sh(String... command) throws Exception {
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    @Test
    void realNftLoadsAndReplacesTheGeneratedTable() throws Exception {
        assumeTrue(labAvailable(), "needs root (to create a network namespace) and the nft binary");
        String ns = "knet-pe-" + ThreadLocalRandom.current().nextInt(1_000_000);
        assertThat(sh("ip", "netns", "add", ns)).isZero();
        try {
            var objects = Scenario.parse(Scenario.TWO_NAMESPACES, Scenario.NP_DB, Scenario.NP_WEB_EGRESS,
                    Scenario.ADMIN_DENY_DEV_TO_PROD, Scenario.ADMIN_PASS_ALL, Scenario.BASELINE_DENY_ALL,
                    Scenario.ADMIN_DENY_EGRESS_NETWORK);
            var generator = new PolicyRulesetGenerator(PolicyRulesetGenerator.Options.DEFAULT, new DropReasons());
            NftCommand nft = new NftCommand(ns);
            nft.run(generator.generate(objects, "n0", Scenario::veth).fullTransaction());
            String listed = nft.list(PolicyLayout.TABLE);
            assertThat(listed).contains("hook forward", "ct state established,related accept",
                    "iifname vmap @egress-pods", "log prefix \"knet-drop:", "192.168.2.0-192.168.255.255",
                    "tcp dport 6000-6010", "\"kp-db\" : jump ingress-admin", "\"kp-db\" : goto ingress-np-0");
            // a second full sync replaces the table in one transaction (delete and recreate)
            var fewer = Scenario.parse(Scenario.TWO_NAMESPACES, Scenario.NP_DB);
            nft.run(generator.generate(fewer, "n0", Scenario::veth).fullTransaction());
            assertThat(nft.list(PolicyLayout.TABLE)).doesNotContain("ingress-admin oifname", "udp dport 53")
                    .contains("tcp dport 6000-6010");
            var addressMode = new PolicyRulesetGenerator(
                    new PolicyRulesetGenerator.Options(PodMatch.ADDRESS, 7), new DropReasons());
            nft.run(addressMode.generate(objects, "n0", Scenario::veth).fullTransaction());
            assertThat(nft.list(PolicyLayout.TABLE)).contains("ip saddr vmap @egress-pods", "group 7");
        } finally {
            sh("ip", "netns", "delete", ns);
        }
    }
}
