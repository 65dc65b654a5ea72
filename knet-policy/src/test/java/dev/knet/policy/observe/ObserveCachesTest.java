package dev.knet.policy.observe;

import dev.knet.model.Manifests;
import dev.knet.policy.Direction;
import dev.knet.policy.Tier;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The model and the ruleset listing are read at most once a second, and a failed refresh keeps the last one. */
class ObserveCachesTest {

    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-06-01T12:00:00Z"));
    final InstantSource clock = () -> now.get();

    void advance(Duration d) {
        now.set(now.get().plus(d));
    }

    @Test
    void theModelIsRebuiltAtMostOnceASecond() {
        List<HasMetadata> objects = Manifests.parse(ObserveCommandTest.CLUSTER, "test");
        AtomicInteger reads = new AtomicInteger();
        ModelCache cache = new ModelCache(() -> {
            reads.incrementAndGet();
            return objects;
        }, clock);

        var first = cache.engine();
        advance(Duration.ofMillis(999));
        assertThat(cache.engine()).isSameAs(first);
        assertThat(reads).hasValue(1);
        advance(Duration.ofMillis(1));
        assertThat(cache.engine()).isNotSameAs(first);
        assertThat(reads).hasValue(2);
    }

    @Test
    void aFailedRefreshKeepsTheLastModelButAFailedFirstReadIsThrown() {
        List<HasMetadata> objects = Manifests.parse(ObserveCommandTest.CLUSTER, "test");
        AtomicInteger reads = new AtomicInteger();
        ModelCache cache = new ModelCache(() -> {
            if (reads.incrementAndGet() > 1) {
                throw new IllegalStateException("api down");
            }
            return objects;
        }, clock);
        var first = cache.engine();
        advance(Duration.ofSeconds(2));
        assertThat(cache.engine()).isSameAs(first);

        ModelCache broken = new ModelCache(() -> {
            throw new IllegalStateException("api down");
        }, clock);
        assertThatThrownBy(broken::engine).hasMessage("api down");
    }

    @Test
    void dropRuleIdsFindTheirChains() {
        assertThat(DropRuleLookup.parse(ObserveCommandTest.RULESET)).isEqualTo(Map.of(3, "ingress-np-0", 7, "egress-admin-1"));
        assertThat(DropRuleSite.of(3, "ingress-np-0")).isEqualTo(new DropRuleSite(3, "ingress-np-0",
                Optional.of(Direction.INGRESS), Optional.of(Tier.NETWORK_POLICY)));
        assertThat(DropRuleSite.of(4, "egress-baseline-2").describe()).isEqualTo("egress Baseline");
        assertThat(DropRuleSite.of(5, "forward").describe()).isEqualTo("chain forward");
        assertThat(DropRuleLookup.id("knet-drop:12 ")).contains(12);
        assertThat(DropRuleLookup.id("other:12")).isEmpty();
        assertThat(DropRuleLookup.id("knet-drop:x")).isEmpty();
    }

    @Test
    void anUnknownIdRereadsTheListingAtMostOnceASecond() {
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<String> listing = new AtomicReference<>("");
        DropRuleLookup lookup = new DropRuleLookup(netns -> {
            reads.incrementAndGet();
            return listing.get();
        }, clock);

        assertThat(lookup.site("knet-t-n", 3)).isEmpty();
        listing.set(ObserveCommandTest.RULESET);
        assertThat(lookup.site("knet-t-n", 3)).as("within the second: not read again").isEmpty();
        advance(Duration.ofSeconds(1));
        assertThat(lookup.site("knet-t-n", 3)).map(DropRuleSite::chain).contains("ingress-np-0");
        assertThat(lookup.site("knet-t-n", 7)).map(DropRuleSite::chain).contains("egress-admin-1");
        assertThat(reads).hasValue(2);

        DropRuleLookup failing = new DropRuleLookup(netns -> {
            throw new IllegalStateException("no nft");
        }, clock);
        assertThat(failing.site("knet-t-n", 3)).isEmpty();
    }
}
