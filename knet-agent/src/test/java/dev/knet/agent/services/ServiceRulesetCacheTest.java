package dev.knet.agent.services;

import static dev.knet.agent.services.ServiceFixtures.ep;
import static dev.knet.agent.services.ServiceFixtures.key;
import static dev.knet.agent.services.ServiceFixtures.svc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.knet.agent.services.EndpointInfo.Conditions;
import dev.knet.agent.services.ServiceRulesetCache.FullMode;
import dev.knet.dataplane.nft.FakeNftables;
import dev.knet.dataplane.nft.NftException;
import dev.knet.dataplane.nft.NftObject.Element;
import dev.knet.dataplane.nft.NftTransaction;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Partial syncs from the per-service cache: what they regenerate, what they write, and where they end up. */
class ServiceRulesetCacheTest {

    private static final String PINNED_KEY = "10.244.1.9 . 10.96.0.17 . tcp . 80";

    private final ServiceFixtures f = ServiceFixtures.standard();
    private final ServiceRulesetCache cache = new ServiceRulesetCache(new ServiceRulesetGenerator(ServiceFixtures.NODE));
    private final FakeNftables nft = new FakeNftables();

    record Row(String name, Consumer<ServiceFixtures> change, Set<ServiceKey> touched) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> changes() {
        return Stream.of(
                new Row("one endpoint of web replaced", x -> x.endpoints.put(key("web"),
                        List.of(ep("10.244.1.5", 8080, Conditions.READY), ep("10.244.2.55", 8080, Conditions.READY))), Set.of(key("web"))),
                new Row("np loses every endpoint", x -> x.endpoints.remove(key("np")), Set.of(key("np"))),
                new Row("web deleted", x -> {
                    x.services.remove(key("web"));
                    x.endpoints.remove(key("web"));
                }, Set.of(key("web"))),
                new Row("a new service needing a new bucket chain", x -> x.add(svc("three", "10.96.0.30", 0),
                        ep("10.244.2.31", 80, Conditions.READY), ep("10.244.2.32", 80, Conditions.READY),
                        ep("10.244.2.33", 80, Conditions.READY)), Set.of(key("three"))),
                new Row("a second service shares web's local endpoint", x -> x.add(svc("web2", "10.96.0.40", 0),
                        ep("10.244.1.5", 8080, Conditions.READY)), Set.of(key("web2"))),
                new Row("two services touched at once", x -> {
                    x.endpoints.remove(key("np"));
                    x.endpoints.put(key("term"), List.of(ep("10.244.2.10", 8080, Conditions.READY)));
                }, Set.of(key("np"), key("term"))),
                new Row("two services deleted at once", x -> {
                    x.services.remove(key("web"));
                    x.endpoints.remove(key("web"));
                    x.services.remove(key("np"));
                    x.endpoints.remove(key("np"));
                }, Set.of(key("web"), key("np"))),
                new Row("nothing really changed", x -> { }, Set.of(key("web"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void aPartialSyncRegeneratesOnlyTouchedServicesAndEqualsAFullSync(Row row) throws NftException {
        loadFull();
        long before = cache.regenerated();
        row.change().accept(f);
        ServiceRulesetCache.Plan plan = cache.partial(changes(row.touched())).orElseThrow();
        nft.run(plan.transaction());
        cache.committed();

        long stillThere = row.touched().stream().filter(f.services::containsKey).count();
        assertThat(cache.regenerated() - before).as("services regenerated").isEqualTo(stillThere);
        assertThat(plan.full()).isFalse();
        assertThat(plan.transaction().toString().lines()).allMatch(l -> l.startsWith("add element") || l.startsWith("delete element")
                || l.startsWith("add chain") || l.startsWith("add rule"));
        assertThat(plan.transaction().toString().lines().filter(l -> l.contains(" element "))
                .map(l -> l.substring(0, l.indexOf(" {"))))
                .as("one grouped statement per set and verb").doesNotHaveDuplicates();
        assertThat(nft.dump()).isEqualTo(fresh());
    }

    static Stream<Row> afterPreparing() {
        return Stream.of(
                new Row("nothing changed since", x -> { }, Set.of()),
                new Row("one endpoint of web replaced since", x -> x.endpoints.put(key("web"),
                        List.of(ep("10.244.1.5", 8080, Conditions.READY), ep("10.244.2.56", 8080, Conditions.READY))), Set.of(key("web"))),
                new Row("np deleted since", x -> {
                    x.services.remove(key("np"));
                    x.endpoints.remove(key("np"));
                }, Set.of()),
                new Row("a service added since", x -> x.add(svc("late", "10.96.0.31", 0), ep("10.244.2.33", 80, Conditions.READY)),
                        Set.of(key("late"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("afterPreparing")
    void servicesGeneratedAheadAreNotGeneratedAgainByTheFullSync(Row row) throws NftException {
        cache.prepare(changes(f.services.keySet()));
        row.change().accept(f);
        long before = cache.regenerated();
        ServiceRulesetCache.Plan plan = cache.full(snapshot(), FullMode.KEEP_TABLE);
        nft.run(plan.transaction());
        cache.committed();

        assertThat(cache.regenerated() - before).as("services generated by the full sync").isEqualTo(row.touched().size());
        assertThat(cache.knowsKernel()).isTrue();
        assertThat(nft.dump()).isEqualTo(fresh());
    }

    @Test
    void aServiceDeletedWhilePreparingLeavesNothingBehind() throws NftException {
        cache.prepare(changes(f.services.keySet()));
        f.services.remove(key("web"));
        f.endpoints.remove(key("web"));
        cache.prepare(changes(Set.of(key("web"))));
        nft.run(cache.full(snapshot(), FullMode.KEEP_TABLE).transaction());

        assertThat(nft.dump()).doesNotContain("10.96.0.10 ").isEqualTo(fresh());
    }

    @Test
    void replacingOneOfFiveEndpointsRewritesOneBucket() throws NftException {
        f.add(svc("five", "10.96.0.50", 0), Stream.of(11, 12, 13, 14, 15)
                .map(i -> ep("10.244.2." + i, 8080, Conditions.READY)).toArray(EndpointInfo[]::new));
        loadFull();
        List<EndpointInfo> changed = Stream.of(99, 12, 13, 14, 15).map(i -> ep("10.244.2." + i, 8080, Conditions.READY)).toList();
        f.endpoints.put(key("five"), changed);
        NftTransaction tx = cache.partial(changes(Set.of(key("five")))).orElseThrow().transaction();
        nft.run(tx);
        cache.committed();

        assertThat(tx.toString()).isEqualTo("delete element ip knet-services backends { 10.96.0.50 . tcp . 80 . 0 }\n"
                + "add element ip knet-services backends { 10.96.0.50 . tcp . 80 . 0 : 10.244.2.99 . 8080 }\n");
        Map<String, String> buckets = nft.state().table(ServiceLayout.TABLE).orElseThrow().sets().get(ServiceLayout.BACKENDS).elements();
        assertThat(buckets.entrySet().stream().filter(e -> e.getKey().startsWith("10.96.0.50 ")).map(Map.Entry::getValue))
                .as("still one bucket per endpoint: exact shares")
                .containsExactlyInAnyOrder("10.244.2.99 . 8080", "10.244.2.12 . 8080", "10.244.2.13 . 8080",
                        "10.244.2.14 . 8080", "10.244.2.15 . 8080");
        assertThat(nft.dump().lines().filter(l -> !l.contains("10.96.0.50 . tcp . 80 . ")))
                .as("everything else as a fresh full sync").containsExactlyElementsOf(fresh().lines()
                        .filter(l -> !l.contains("10.96.0.50 . tcp . 80 . ")).toList());
    }

    @Test
    void aSharedHairpinPairStaysWhileAnyServiceNeedsIt() throws NftException {
        loadFull();
        f.add(svc("web2", "10.96.0.40", 0), ep("10.244.1.5", 8080, Conditions.READY));
        partial(key("web2"));
        f.services.remove(key("web"));
        f.endpoints.remove(key("web"));
        partial(key("web"));
        assertThat(nft.dump()).contains("hairpin { 10.244.1.5 . 10.244.1.5 }").isEqualTo(fresh());
        f.services.remove(key("web2"));
        partial(key("web2"));
        assertThat(nft.dump()).doesNotContain("hairpin { 10.244.1.5 . 10.244.1.5 }").isEqualTo(fresh());
    }

    @Test
    void aNewAffinityTimeoutNeedsAFullSync() throws NftException {
        loadFull();
        f.services.put(key("web"), f.services.get(key("web")).withAffinity(new ServiceInfo.SessionAffinity.ClientIp(java.time.Duration.ofSeconds(60))));
        assertThat(cache.partial(changes(Set.of(key("web"))))).isEmpty();
    }

    @Test
    void fullSyncsKeepRememberedAffinityUnlessAStickyBackendWentAway() throws NftException {
        loadFull();
        remember();
        f.endpoints.remove(key("np"));
        nft.run(cache.full(snapshot(), FullMode.KEEP_TABLE).transaction());
        cache.committed();
        assertThat(nft.dump()).as("known table, no sticky change").contains(PINNED_KEY).isEqualTo(freshWithPin());

        cache.failed(); // what the kernel holds is now unknown
        nft.run(cache.full(snapshot(), FullMode.KEEP_TABLE).transaction());
        cache.committed();
        assertThat(nft.dump()).as("unknown table: still kept").contains(PINNED_KEY);

        f.endpoints.put(key("sticky"), List.of(ep("10.244.1.20", 8080, Conditions.READY)));
        nft.run(cache.full(snapshot(), FullMode.KEEP_TABLE).transaction());
        cache.committed();
        assertThat(nft.dump()).as("a sticky backend went away").doesNotContain(PINNED_KEY).isEqualTo(fresh());

        remember();
        nft.run(cache.full(snapshot(), FullMode.RECREATE).transaction());
        assertThat(nft.dump()).as("recreated").doesNotContain(PINNED_KEY);
    }

    @Test
    void aPartialSyncFlushesAffinityWhenAStickyBackendGoesAway() throws NftException {
        loadFull();
        remember();
        f.endpoints.put(key("sticky"), List.of(ep("10.244.1.20", 8080, Conditions.READY), ep("10.244.2.29", 8080, Conditions.READY)));
        NftTransaction tx = cache.partial(changes(Set.of(key("sticky")))).orElseThrow().transaction();
        assertThat(tx.toString()).contains("flush map ip knet-services affinity");
        nft.run(tx);
        assertThat(nft.dump()).doesNotContain(PINNED_KEY);
    }

    private void loadFull() throws NftException {
        nft.run(cache.full(snapshot(), FullMode.KEEP_TABLE).transaction());
        cache.committed();
        assertThat(nft.dump()).isEqualTo(fresh());
    }

    private void partial(ServiceKey... touched) throws NftException {
        nft.run(cache.partial(changes(Set.of(touched))).orElseThrow().transaction());
        cache.committed();
    }

    /** What the kernel's affinity rule would add after a first connection to the sticky service. */
    private void remember() throws NftException {
        nft.run(new NftTransaction().add(Element.of(ServiceLayout.TABLE, ServiceLayout.AFFINITY, PINNED_KEY, "10.244.2.20 . 8080")));
    }

    private String fresh() throws NftException {
        FakeNftables other = new FakeNftables();
        other.run(f.ruleset().fullTransaction());
        return other.dump();
    }

    private String freshWithPin() throws NftException {
        FakeNftables other = new FakeNftables();
        other.run(f.ruleset().fullTransaction());
        other.run(new NftTransaction().add(Element.of(ServiceLayout.TABLE, ServiceLayout.AFFINITY, PINNED_KEY, "10.244.2.20 . 8080")));
        return other.dump();
    }

    private ServiceChangeTracker.Snapshot snapshot() {
        return new ServiceChangeTracker.Snapshot(Map.copyOf(f.services), Map.copyOf(f.endpoints), 0);
    }

    private ServiceChangeTracker.Changes changes(Set<ServiceKey> touched) {
        Map<ServiceKey, ServiceChangeTracker.Current> out = new HashMap<>();
        touched.forEach(k -> out.put(k, new ServiceChangeTracker.Current(f.services.get(k), f.endpoints.getOrDefault(k, List.of()))));
        return new ServiceChangeTracker.Changes(out, 0);
    }
}
