package dev.knet.policy.enforce;

import dev.knet.dataplane.nft.FakeNftables;
import dev.knet.policy.PolicyEngine;
import dev.knet.policy.Protocol;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Allow rules regrouped by port: three policies on prod/db allow different peers on different numbered ports of
 * one protocol, so the class chain matches them with one (peer . port) set, and every peer keeps exactly its
 * own ports: a peer allowed on one port is not let in on another policy's port.
 */
class PeerPortPairsTest {

    private static final String POLICIES = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-from-web, namespace: prod}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
              - from: [{podSelector: {matchLabels: {app: web}}}]
                ports: [{port: 5432}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-from-lab, namespace: prod}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
              - from: [{ipBlock: {cidr: 10.99.0.0/16, except: [10.99.9.0/24]}}]
                ports: [{port: 6000, endPort: 6010}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-from-dev, namespace: prod}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
              - from: [{namespaceSelector: {matchLabels: {env: dev}}}]
                ports: [{port: 7000}, {port: 7001}]
            """;

    private static List<HasMetadata> objects;
    private static PolicyRuleset ruleset;
    private static NftTracer tracer;

    @BeforeAll
    static void load() throws Exception {
        objects = Scenario.parse(Scenario.TWO_NAMESPACES, POLICIES);
        ruleset = new PolicyRulesetGenerator(PolicyRulesetGenerator.Options.DEFAULT, new DropReasons())
                .generate(objects, "n0", Scenario::veth);
        FakeNftables fake = new FakeNftables();
        fake.run(ruleset.fullTransaction());
        tracer = new NftTracer(fake.state(), PolicyLayout.TABLE, PolicyLayout.FORWARD);
    }

    @Test
    void theNumberedPortsOfOneProtocolAreOneSetLookup() {
        String text = ruleset.fullTransaction().toString();
        assertThat(text.lines().filter(l -> l.startsWith("add rule") && l.contains(" ingress-np-0 ")))
                .as(text).filteredOn(l -> l.contains("return")).singleElement().asString()
                .contains("meta l4proto tcp ip saddr . th dport @pair-");
        assertThat(text).contains("type ipv4_addr . inet_service ; flags interval ;")
                .contains("10.99.0.0-10.99.8.255 . 6000-6010").contains("10.244.1.10 . 5432");
    }

    @ParameterizedTest(name = "{0} -> prod/db {1}: {2}")
    @CsvSource(textBlock = """
            10.244.1.10, 5432, true
            10.244.1.10, 6005, false
            10.244.1.10, 7000, false
            10.99.3.3,   6000, true
            10.99.3.3,   6010, true
            10.99.3.3,   6011, false
            10.99.3.3,   5432, false
            10.99.9.9,   6005, false
            10.244.2.10, 7000, true
            10.244.2.11, 7001, true
            10.244.2.10, 5432, false
            10.244.2.10, 7002, false
            """)
    void everyPeerKeepsItsOwnPorts(String src, int port, boolean allowed) {
        String iif = src.equals("10.244.1.10") ? "kp-web" : "eth0";
        var trace = tracer.trace(new NftTracer.Packet(iif, "kp-db", src, "10.244.1.11", "tcp", port, "new"));

        assertThat(trace.accepted()).as(String.join("\n", trace.matched())).isEqualTo(allowed);
        assertThat(PolicyEngine.of(objects).check(src, "10.244.1.11", port, Protocol.TCP).allowed())
                .as("the model agrees").isEqualTo(allowed);
    }
}
