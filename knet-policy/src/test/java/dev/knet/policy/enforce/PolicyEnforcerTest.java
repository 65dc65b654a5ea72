package dev.knet.policy.enforce;

import dev.knet.dataplane.nft.FakeNftables;
import dev.knet.dataplane.nft.NftException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The sync loop against the stateful fake: initial sync gate, coalescing, replacement, failure recovery. */
class PolicyEnforcerTest {

    private static final PolicyEnforcer.Config FAST =
            new PolicyEnforcer.Config(Duration.ofMillis(20), Duration.ofMillis(20), Duration.ofMillis(100));

    private final FakeNftables nft = new FakeNftables();
    private final PolicyEnforcer enforcer = new PolicyEnforcer("n0", Scenario::veth, nft, new DropReasons(),
            PolicyRulesetGenerator.Options.DEFAULT, FAST);

    @AfterEach
    void close() {
        enforcer.close();
    }

    private void feed(String... yaml) {
        Scenario.parse(yaml).forEach(enforcer::onUpdate);
    }

    private NftTracer tracer() {
        return new NftTracer(nft.state(), PolicyLayout.TABLE, PolicyLayout.FORWARD);
    }

    /** dev/web (remote) to prod/db (local, kp-db) on TCP/5432. */
    private boolean devWebToProdDb() {
        return tracer().trace(NftTracer.Packet.tcp("eth0", "kp-db", "10.244.2.10", "10.244.1.11", 5432)).accepted();
    }

    @Test
    void writesNothingBeforeTheInitialListsThenOneTable() {
        feed(Scenario.TWO_NAMESPACES, Scenario.NP_DB);
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(() -> nft.transactions() == 0);
        enforcer.markSynced();
        await().atMost(Duration.ofSeconds(10)).until(() -> enforcer.status().syncs() == 1);
        assertThat(nft.dump()).contains("add table inet knet-policy", "ingress-pods { \"kp-db\" : jump ingress-np }");
        assertThat(devWebToProdDb()).isTrue();
    }

    @Test
    void policyChangesReplaceTheTableAndDeletesUndoThem() {
        feed(Scenario.TWO_NAMESPACES);
        enforcer.markSynced();
        await().atMost(Duration.ofSeconds(10)).until(() -> enforcer.status().syncs() == 1);
        assertThat(devWebToProdDb()).isTrue();

        List<HasMetadata> admin = Scenario.parse(Scenario.ADMIN_DENY_DEV_TO_PROD);
        admin.forEach(enforcer::onUpdate);
        await().atMost(Duration.ofSeconds(10)).until(() -> !devWebToProdDb());
        assertThat(enforcer.reasons().size()).isEqualTo(1);

        admin.forEach(enforcer::onDelete);
        await().atMost(Duration.ofSeconds(10)).until(this::devWebToProdDb);
        assertThat(nft.dump()).doesNotContain("knet-drop:");
    }

    @Test
    void aBurstOfEventsIsMergedAndAnUnchangedStateWritesNothing() {
        feed(Scenario.TWO_NAMESPACES);
        enforcer.markSynced();
        await().atMost(Duration.ofSeconds(10)).until(() -> enforcer.status().syncs() == 1);
        long before = enforcer.status().appliedGeneration();
        // the same objects again: the generation moves, the ruleset does not
        feed(Scenario.TWO_NAMESPACES);
        await().atMost(Duration.ofSeconds(10)).until(() -> enforcer.status().appliedGeneration() > before);
        assertThat(nft.transactions()).isEqualTo(1);
        for (int i = 0; i < 20; i++) {
            feed(Scenario.NP_DB, Scenario.NP_WEB_EGRESS, Scenario.ADMIN_PASS_ALL);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> nft.dump().contains("egress-pods { \"kp-web\""));
        assertThat(nft.transactions()).isLessThan(20);
    }

    @Test
    void aFailedSyncIsRetriedAndTheLoopKeepsGoing() {
        nft.failNextRun(new NftException(NftException.Kind.OTHER, "injected", "Error: injected"));
        feed(Scenario.TWO_NAMESPACES, Scenario.NP_DB);
        enforcer.markSynced();
        await().atMost(Duration.ofSeconds(10)).until(() -> enforcer.status().syncs() == 1);
        assertThat(enforcer.status().failures()).isEqualTo(1);
        feed(Scenario.ADMIN_DENY_DEV_TO_PROD);
        await().atMost(Duration.ofSeconds(10)).until(() -> enforcer.status().syncs() == 2);
        assertThat(devWebToProdDb()).isFalse();
    }

    @Test
    void aPolicyTheModelRejectsIsSkippedNotFatal() {
        feed(Scenario.TWO_NAMESPACES, Scenario.NP_DB, """
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata: {name: broken}
                spec: {tier: Middle, priority: 1, subject: {namespaces: {}}}
                """);
        enforcer.markSynced();
        await().atMost(Duration.ofSeconds(10)).until(() -> enforcer.status().syncs() == 1);
        assertThat(enforcer.status().skippedPolicies()).isEqualTo(1);
        assertThat(nft.dump()).contains("ingress-np oifname");
    }
}
