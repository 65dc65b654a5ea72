package dev.knet.policy.enforce;

import dev.knet.dataplane.nft.FakeNftables;
import dev.knet.policy.PolicyEngine;
import dev.knet.policy.Protocol;
import dev.knet.policy.Verdict;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Table-driven flows through node n0's generated rules (prod/web = kp-web 10.244.1.10 and prod/db = kp-db
 * 10.244.1.11 are local; dev pods arrive over the uplink), with the drop attribution each denial logs.
 */
class TracedFlowsTest {

    private static final String UPLINK = "eth0";
    private static NftTracer tracer;
    private static DropReasons reasons;
    private static PolicyEngine engine;

    @BeforeAll
    static void load() throws Exception {
        List<HasMetadata> objects = Scenario.parse(Scenario.TWO_NAMESPACES, Scenario.NP_DB, Scenario.NP_WEB_EGRESS,
                Scenario.ADMIN_DENY_DEV_TO_PROD, Scenario.ADMIN_ACCEPT_DEV_WEB_FIRST, Scenario.ADMIN_DENY_EGRESS_NETWORK);
        reasons = new DropReasons();
        var generator = new PolicyRulesetGenerator(PolicyRulesetGenerator.Options.DEFAULT, reasons);
        FakeNftables fake = new FakeNftables();
        fake.run(generator.generate(objects, "n0", Scenario::veth).fullTransaction());
        tracer = new NftTracer(fake.state(), PolicyLayout.TABLE, PolicyLayout.FORWARD);
        engine = PolicyEngine.of(objects);
        reasons.update(engine.index());
    }

    static Stream<Arguments> flows() {
        return Stream.of(
                arguments("dev/web -> prod/db pg: Admin Accept at priority 5 beats the Deny at 10",
                        "eth0", "kp-db", "10.244.2.10", "10.244.1.11", "tcp", 5432, "new", true, null),
                arguments("dev/web -> prod/db 6000: Admin Deny of dev",
                        "eth0", "kp-db", "10.244.2.10", "10.244.1.11", "tcp", 6000, "new", false,
                        "isolate-prod (Admin, priority 10) denies ingress to prod/db from dev/web (rule 0 (no-dev)"),
                arguments("dev/db -> prod/web: Admin Deny of dev",
                        "eth0", "kp-web", "10.244.2.11", "10.244.1.10", "tcp", 80, "new", false,
                        "isolate-prod (Admin, priority 10) denies ingress to prod/web from dev/db"),
                arguments("prod/web -> prod/db pg (same node): both egress and ingress allow",
                        "kp-web", "kp-db", "10.244.1.10", "10.244.1.11", "tcp", 5432, "new", true, null),
                arguments("prod/web -> prod/db 6005 (same node): egress of web allows only 5432",
                        "kp-web", "kp-db", "10.244.1.10", "10.244.1.11", "tcp", 6005, "new", false,
                        "prod/web is isolated for egress by prod/web-egress, and no rule allows prod/db on TCP/6005"),
                arguments("prod/db -> prod/web 80 (same node): web's ingress is open",
                        "kp-db", "kp-web", "10.244.1.11", "10.244.1.10", "tcp", 80, "new", true, null),
                arguments("192.168.7.7 -> prod/db 6003: inside the ipBlock and the endPort range",
                        "eth0", "kp-db", "192.168.7.7", "10.244.1.11", "tcp", 6003, "new", true, null),
                arguments("192.168.1.7 -> prod/db 6003: in the except range",
                        "eth0", "kp-db", "192.168.1.7", "10.244.1.11", "tcp", 6003, "new", false,
                        "prod/db is isolated for ingress by prod/db, and no rule allows 192.168.1.7 on TCP/6003"),
                arguments("192.168.7.7 -> prod/db 6011: past endPort",
                        "eth0", "kp-db", "192.168.7.7", "10.244.1.11", "tcp", 6011, "new", false, "isolated for ingress"),
                arguments("192.168.7.7 -> prod/db udp 6003: wrong protocol",
                        "eth0", "kp-db", "192.168.7.7", "10.244.1.11", "udp", 6003, "new", false, "isolated for ingress"),
                arguments("prod/web -> 1.1.1.1 udp 53: the DNS egress rule",
                        "kp-web", "eth0", "10.244.1.10", "1.1.1.1", "udp", 53, "new", true, null),
                arguments("prod/db -> 169.254.169.254 tcp 80: Admin egress Deny to a network",
                        "kp-db", "eth0", "10.244.1.11", "169.254.169.254", "tcp", 80, "new", false,
                        "no-metadata-server (Admin, priority 0) denies egress from prod/db to 169.254.169.254"),
                arguments("prod/db -> 169.254.169.254 tcp 8080: outside the denied range",
                        "kp-db", "eth0", "10.244.1.11", "169.254.169.254", "tcp", 8080, "new", true, null),
                arguments("a reply of an admitted flow is accepted whatever the policy",
                        "kp-web", "eth0", "10.244.1.10", "10.244.2.11", "tcp", 40000, "established", true, null),
                arguments("an invalid packet is dropped",
                        "kp-db", "kp-web", "10.244.1.11", "10.244.1.10", "tcp", 80, "invalid", false, null),
                arguments("prod/db reaching itself through a Service VIP (hairpin)",
                        "kp-db", "kp-db", "10.244.1.11", "10.244.1.11", "tcp", 9, "new", true, null),
                arguments("dev/web -> dev/db passing through (neither is local): not filtered here",
                        "eth0", "eth1", "10.244.2.10", "10.244.2.11", "tcp", 80, "new", true, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void traces(String name, String iif, String oif, String src, String dst, String proto, int port, String ct,
                boolean accepted, String reasonPart) {
        var trace = tracer.trace(new NftTracer.Packet(iif, oif, src, dst, proto, port, ct));
        assertThat(trace.accepted()).as(String.join("\n", trace.matched())).isEqualTo(accepted);
        if (reasonPart != null) {
            assertThat(trace.logPrefix()).startsWith(PolicyLayout.LOG_PREFIX);
            String why = reasons.explain(trace.logPrefix(), src, 42311, dst, port, Protocol.parse(proto));
            assertThat(why).startsWith("dropped " + src + ":42311 -> " + dst + ":" + port + "/" + proto.toUpperCase())
                    .contains(reasonPart);
        }
        boolean bothLocalOrModelled = ct.equals("new") && !iif.equals(oif) && !oif.equals("eth1");
        if (bothLocalOrModelled) {
            Verdict model = engine.check(src, dst, port, Protocol.parse(proto));
            assertThat(trace.accepted()).as("model: " + model.reason()).isEqualTo(model.allowed());
        }
    }

}
