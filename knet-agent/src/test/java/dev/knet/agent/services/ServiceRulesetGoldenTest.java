package dev.knet.agent.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.knet.dataplane.nft.FakeNftables;
import dev.knet.dataplane.nft.NftException;
import dev.knet.dataplane.nft.NftTransaction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole generated table for the standard fixtures, compared as text with what the fake holds. */
class ServiceRulesetGoldenTest {

    static String golden() throws IOException {
        try (InputStream in = ServiceRulesetGoldenTest.class.getResourceAsStream("golden/standard.nft")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void wholeRulesetMatchesGolden() throws Exception {
        FakeNftables nft = new FakeNftables();
        nft.run(ServiceFixtures.standard().ruleset().fullTransaction());
        assertThat(nft.dump()).isEqualTo(golden());
    }

    @Test
    void fullSyncReplacesALeftoverTable() throws Exception {
        FakeNftables nft = new FakeNftables();
        ServiceFixtures other = new ServiceFixtures();
        other.add(ServiceFixtures.svc("gone", "10.96.0.99", 0),
                ServiceFixtures.ep("10.244.1.99", 80, EndpointInfo.Conditions.READY));
        nft.run(other.ruleset().fullTransaction());
        nft.run(ServiceFixtures.standard().ruleset().fullTransaction());
        assertThat(nft.dump()).isEqualTo(golden()).doesNotContain("10.96.0.99");
    }

    @Test
    void partialTransactionTouchesOnlyChangedElementsAndReachesTheSameState() throws Exception {
        ServiceFixtures f = ServiceFixtures.standard();
        ServiceRuleset before = f.ruleset();
        f.endpoints.put(ServiceFixtures.key("web"), List.of(
                ServiceFixtures.ep("10.244.1.5", 8080, EndpointInfo.Conditions.READY),
                ServiceFixtures.ep("10.244.2.55", 8080, EndpointInfo.Conditions.READY)));
        ServiceRuleset after = f.ruleset();
        NftTransaction partial = after.partialTransaction(before).orElseThrow();
        assertThat(partial.toString().lines()).allMatch(l -> l.startsWith("add element") || l.startsWith("delete element"));
        assertThat(partial.toString()).contains("delete element ip knet-services backends { 10.96.0.10 . tcp . 80 . 1 }")
                .contains("10.96.0.10 . tcp . 80 . 1 : 10.244.2.55 . 8080");

        FakeNftables incremental = new FakeNftables();
        incremental.run(before.fullTransaction());
        incremental.run(partial);
        FakeNftables fresh = new FakeNftables();
        fresh.run(after.fullTransaction());
        assertThat(incremental.dump()).isEqualTo(fresh.dump());
    }

    @Test
    void aNewBucketCountNeedsAFullTransaction() throws NftException {
        ServiceFixtures f = ServiceFixtures.standard();
        ServiceRuleset before = f.ruleset();
        f.add(ServiceFixtures.svc("three", "10.96.0.30", 0),
                ServiceFixtures.ep("10.244.2.31", 80, EndpointInfo.Conditions.READY),
                ServiceFixtures.ep("10.244.2.32", 80, EndpointInfo.Conditions.READY),
                ServiceFixtures.ep("10.244.2.33", 80, EndpointInfo.Conditions.READY));
        assertThat(f.ruleset().partialTransaction(before)).isEmpty();
    }

    @Test
    void stickyServiceLosingABackendForgetsRememberedChoices() {
        ServiceFixtures f = ServiceFixtures.standard();
        ServiceRuleset before = f.ruleset();
        f.endpoints.put(ServiceFixtures.key("sticky"), List.of(
                ServiceFixtures.ep("10.244.1.20", 8080, EndpointInfo.Conditions.READY),
                ServiceFixtures.ep("10.244.2.29", 8080, EndpointInfo.Conditions.READY)));
        assertThat(f.ruleset().partialTransaction(before).orElseThrow().toString()).contains("flush map ip knet-services affinity");
    }

    @Test
    void bucketsSpreadFairly() {
        record Row(String name, int backends, int buckets) {
        }
        for (Row row : List.of(new Row("one", 1, 1), new Row("five", 5, 5), new Row("sixty-four", 64, 64),
                new Row("sixty-five", 65, 128), new Row("two hundred", 200, 256))) {
            assertThat(BucketPlan.buckets(row.backends())).as(row.name()).isEqualTo(row.buckets());
            List<Backend> backends = java.util.stream.IntStream.range(0, row.backends())
                    .mapToObj(i -> new Backend("10.244.0." + i, 80, false)).toList();
            Map<Backend, Long> share = BucketPlan.assign(backends).stream()
                    .collect(java.util.stream.Collectors.groupingBy(b -> b, java.util.stream.Collectors.counting()));
            assertThat(share).as(row.name()).hasSize(row.backends());
            share.values().forEach(n -> assertThat(Math.abs((double) n / row.buckets() - 1.0 / row.backends()))
                    .as(row.name()).isLessThanOrEqualTo(0.02));
        }
    }
}
