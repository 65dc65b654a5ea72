package dev.knet.agent.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.knet.agent.services.EndpointInfo.Conditions;
import dev.knet.agent.services.ServiceInfo.SessionAffinity;
import dev.knet.dataplane.nft.LibNftables;
import dev.knet.dataplane.nft.NftCommand;
import dev.knet.dataplane.nft.NftObject.Element;
import dev.knet.dataplane.nft.NftTransaction;
import java.util.Map;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Loads generated rulesets into the kernel in a scratch namespace (never the root one) and sends real
 * connections through them from the namespace itself (the output hook): backends are addresses on lo.
 */
@Tag("lab")
class ServiceRulesetLabTest {

    static final String NS = "knet-svclab-" + ThreadLocalRandom.current().nextInt(1_000_000);
    static boolean created;

    @BeforeAll
    static void namespace() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create a network namespace");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")), "nft is not installed");
        sh("ip", "netns", "add", NS);
        created = true;
        sh("ip", "-n", NS, "link", "set", "lo", "up");
        for (String ip : List.of("10.244.1.5", "10.244.1.6", "10.244.1.9")) {
            sh("ip", "-n", NS, "addr", "add", ip + "/32", "dev", "lo");
        }
        // The client's source is a pod address, so no masquerade mark is set for these flows.
        sh("ip", "-n", NS, "route", "add", "10.96.0.0/16", "dev", "lo", "src", "10.244.1.9");
    }

    @AfterAll
    static void cleanup() throws Exception {
        if (created) {
            sh("ip", "netns", "delete", NS);
        }
    }

    @Test
    void standardRulesetLoadsListsAndTakesPartialUpdates() throws Exception {
        NftCommand nft = new NftCommand(NS);
        ServiceFixtures f = ServiceFixtures.standard();
        ServiceRuleset first = f.ruleset();
        nft.run(first.fullTransaction());
        assertThat(nft.list(ServiceLayout.TABLE)).contains("numgen random mod 2 map @backends", "update @affinity");
        f.endpoints.put(ServiceFixtures.key("sticky"), List.of(ServiceFixtures.ep("10.244.2.29", 8080, Conditions.READY),
                ServiceFixtures.ep("10.244.2.30", 8080, Conditions.READY)));
        nft.run(f.ruleset().partialTransaction(first).orElseThrow());
        assertThat(nft.list(ServiceLayout.TABLE)).contains("10.244.2.29 . 8080").doesNotContain("10.244.1.20 . 8080");
        nft.run(first.fullTransaction());
        assertThat(nft.list(ServiceLayout.TABLE)).doesNotContain("10.244.2.29 . 8080");
    }

    @Test
    void inPlaceFullSyncsKeepKernelAffinityAndPartialSyncsAddNewChains() throws Exception {
        assumeTrue(LibNftables.isAvailable(), "libnftables.so.1 is not installed");
        ServiceFixtures f = ServiceFixtures.standard();
        ServiceRulesetCache cache = new ServiceRulesetCache(new ServiceRulesetGenerator(ServiceFixtures.NODE));
        String pinned = "10.244.1.9 . 10.96.0.17 . tcp . 80";
        try (LibNftables nft = new LibNftables(NS)) {
            nft.run(cache.full(snapshot(f), ServiceRulesetCache.FullMode.KEEP_TABLE).transaction());
            cache.committed();
            nft.run(new NftTransaction().add(Element.of(ServiceLayout.TABLE, ServiceLayout.AFFINITY, pinned, "10.244.2.20 . 8080")));

            f.add(ServiceFixtures.svc("three", "10.96.0.30", 0), ServiceFixtures.ep("10.244.2.31", 80, Conditions.READY),
                    ServiceFixtures.ep("10.244.2.32", 80, Conditions.READY), ServiceFixtures.ep("10.244.2.33", 80, Conditions.READY));
            ServiceKey three = ServiceFixtures.key("three");
            NftTransaction partial = cache.partial(new ServiceChangeTracker.Changes(
                    Map.of(three, new ServiceChangeTracker.Current(f.services.get(three), f.endpoints.get(three))), 1)).orElseThrow().transaction();
            assertThat(partial.toString()).contains("add chain ip knet-services svc-3");
            nft.run(partial);
            cache.committed();
            assertThat(nft.list(ServiceLayout.TABLE)).contains("numgen random mod 3 map @backends", "10.244.2.33 . 80");

            cache.failed(); // a restarted agent: the table is there, its content unknown
            nft.run(cache.full(snapshot(f), ServiceRulesetCache.FullMode.KEEP_TABLE).transaction());
            cache.committed();
            assertThat(nft.list(ServiceLayout.TABLE)).as("rewritten in place twice, affinity kept")
                    .contains(pinned, "10.244.2.33 . 80");
        }
    }

    private static ServiceChangeTracker.Snapshot snapshot(ServiceFixtures f) {
        return new ServiceChangeTracker.Snapshot(Map.copyOf(f.services), Map.copyOf(f.endpoints), 0);
    }

    @Test
    void realConnectionsAreSpreadRejectedAndPinned() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 (the probe) is not installed");
        ServiceFixtures f = new ServiceFixtures();
        EndpointInfo a = ServiceFixtures.ep("10.244.1.5", 8080, Conditions.READY);
        EndpointInfo b = ServiceFixtures.ep("10.244.1.6", 8080, Conditions.READY);
        f.add(ServiceFixtures.svc("spread", "10.96.0.10", 0), a, b);
        f.add(ServiceFixtures.svc("empty", "10.96.0.11", 0));
        f.add(ServiceFixtures.svc("sticky", "10.96.0.12", 0).withAffinity(new SessionAffinity.ClientIp(Duration.ofSeconds(60))), a, b);
        new NftCommand(NS).run(f.ruleset().fullTransaction());

        assertThat(probe("10.96.0.10", 200)).matches("10\\.244\\.1\\.5=\\d+ 10\\.244\\.1\\.6=\\d+");
        assertThat(probe("10.96.0.11", 1)).isEqualTo("refused");
        assertThat(probe("10.96.0.12", 30)).matches("10\\.244\\.1\\.[56]=30");
    }

    private static String probe(String vip, int count) throws Exception {
        Path script = Files.createTempFile("knet-probe", ".py");
        try (InputStream in = ServiceRulesetLabTest.class.getResourceAsStream("lab/probe.py")) {
            Files.write(script, in.readAllBytes());
        }
        try {
            Process p = new ProcessBuilder("ip", "netns", "exec", NS, "python3", script.toString(), vip, "80",
                    String.valueOf(count), "10.244.1.5", "10.244.1.6").redirectErrorStream(true).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static void sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
