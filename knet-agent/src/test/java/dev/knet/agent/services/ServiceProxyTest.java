package dev.knet.agent.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.knet.dataplane.nft.FakeNftables;
import dev.knet.dataplane.nft.NftException;
import dev.knet.dataplane.nft.NftTransaction;
import dev.knet.dataplane.nft.Nftables;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceProxyTest {

    static final ServiceProxy.Config FAST = new ServiceProxy.Config(Duration.ZERO, Duration.ofMillis(10), Duration.ofMillis(50));

    /** Records every transaction it is given and can hold a run until released; state kept by a fake. */
    static final class RecordingNftables implements Nftables {
        final FakeNftables fake = new FakeNftables();
        final List<String> applied = Collections.synchronizedList(new ArrayList<>());
        volatile CountDownLatch hold;
        volatile NftException failAfter;
        final CountDownLatch entered = new CountDownLatch(1);

        @Override
        public void run(NftTransaction tx) throws NftException {
            entered.countDown();
            CountDownLatch h = hold;
            if (h != null) {
                try {
                    h.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failAfter != null && fake.transactions() > 0 && !tx.toString().contains("delete table")) {
                NftException e = failAfter;
                failAfter = null;
                throw e;
            }
            fake.run(tx);
            applied.add(tx.toString());
        }

        @Override
        public String list(dev.knet.dataplane.nft.NftObject.Flushable object) throws NftException {
            return fake.list(object);
        }

        @Override
        public String dump() {
            return fake.dump();
        }

        @Override
        public boolean fastElementBatches() {
            return fake.fastElementBatches();
        }
    }

    private final RecordingNftables nft = new RecordingNftables();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ServiceProxy proxy = new ServiceProxy(ServiceFixtures.NODE, nft, registry, FAST);

    @AfterEach
    void close() {
        proxy.close();
    }

    private void feed(ServiceFixtures f) {
        f.services.values().forEach(proxy::onServiceUpdate);
        f.endpoints.forEach(proxy::onEndpointsUpdate);
    }

    @Test
    void writesNothingBeforeBothInitialListsAreKnown() throws Exception {
        feed(ServiceFixtures.standard());
        proxy.markServicesSynced();
        proxy.awaitIdle();
        assertThat(nft.applied).isEmpty();
        proxy.markEndpointsSynced();
        await().until(() -> nft.applied.size() == 1);
        assertThat(nft.dump()).isEqualTo(ServiceRulesetGoldenTest.golden());
        assertThat(proxy.status().fullSyncs()).isEqualTo(1);
    }

    @Test
    void aTableNothingUsesYetGetsItsElementsInASecondTransactionWhenElementBatchesAreCheap() throws Exception {
        nft.fake.fastElementBatches(true);
        feed(ServiceFixtures.standard());
        proxy.markServicesSynced();
        proxy.markEndpointsSynced();
        await().until(() -> proxy.status().syncs() == 1);
        assertThat(nft.applied).hasSize(2);
        assertThat(nft.applied.get(0)).contains("add chain", "add rule", "add map").doesNotContain("add element");
        assertThat(nft.applied.get(1)).startsWith("add element").doesNotContain("add chain", "add rule", "flush");
        assertThat(nft.dump()).isEqualTo(ServiceRulesetGoldenTest.golden());

        // Once the hook chains exist packets use the table: a full sync rewrites it in one transaction.
        nft.fake.failNextRun(new NftException(NftException.Kind.OTHER, "injected", "Error: injected"));
        proxy.onEndpointsUpdate(ServiceFixtures.key("web"), List.of(ServiceFixtures.ep("10.244.2.77", 8080, EndpointInfo.Conditions.READY)));
        await().until(() -> proxy.status().syncs() == 2);
        assertThat(proxy.status().fullSyncs()).isEqualTo(2);
        assertThat(nft.applied).hasSize(3);
        assertThat(nft.applied.getLast()).startsWith("add table ip knet-services\n").contains("add chain", "add element");
    }

    @Test
    void coalescesABurstIntoOneSync() throws Exception {
        ServiceFixtures f = ServiceFixtures.standard();
        feed(f);
        nft.hold = new CountDownLatch(1);
        proxy.markServicesSynced();
        proxy.markEndpointsSynced();
        assertThat(nft.entered.await(30, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 50; i++) {
            proxy.onEndpointsUpdate(ServiceFixtures.key("web"),
                    List.of(ServiceFixtures.ep("10.244.2." + (100 + i), 8080, EndpointInfo.Conditions.READY)));
        }
        nft.hold.countDown();
        await().until(() -> nft.applied.size() == 2 && proxy.status().syncs() == 2);
        proxy.awaitIdle();
        assertThat(nft.applied).hasSize(2);
        assertThat(nft.dump()).contains("10.244.2.149 . 8080").doesNotContain("10.244.2.148 . 8080");
        assertThat(proxy.status().fullSyncs()).as("the burst was applied as a partial sync").isEqualTo(1);
    }

    @Test
    void afterAFailureRetriesWithAFullSyncAndCountsIt() throws Exception {
        feed(ServiceFixtures.standard());
        proxy.markServicesSynced();
        proxy.markEndpointsSynced();
        await().until(() -> proxy.status().syncs() == 1);
        proxy.awaitIdle();

        nft.fake.failNextRun(new NftException(NftException.Kind.OTHER, "injected", "Error: injected"));
        proxy.onEndpointsUpdate(ServiceFixtures.key("web"), List.of(ServiceFixtures.ep("10.244.2.77", 8080, EndpointInfo.Conditions.READY)));
        await().until(() -> proxy.status().syncs() == 2);

        assertThat(proxy.status().failures()).isEqualTo(1);
        assertThat(proxy.status().fullSyncs()).isEqualTo(2);
        assertThat(nft.applied.getLast()).as("rewritten in place: remembered affinity survives")
                .startsWith("add table ip knet-services\n").doesNotContain("delete table");
        assertThat(nft.dump()).contains("10.244.2.77 . 8080");
        assertThat(registry.get("knet_proxy_sync_failures").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("knet_proxy_map_elements").gauge().value()).isPositive();
        assertThat(registry.get("knet_proxy_last_successful_sync_seconds").gauge().value()).isPositive();
        assertThat(registry.get("knet_proxy_sync_duration").tag("kind", "full").timer().count()).isEqualTo(2);
    }

    @Test
    void theSecondFailureInARowRecreatesTheTable() throws Exception {
        feed(ServiceFixtures.standard());
        proxy.markServicesSynced();
        proxy.markEndpointsSynced();
        await().until(() -> proxy.status().syncs() == 1);
        proxy.awaitIdle();

        nft.fake.failNextRun(new NftException(NftException.Kind.OTHER, "injected", "Error: injected"));
        nft.failAfter = new NftException(NftException.Kind.EXISTS, "injected twice", "Error: File exists");
        proxy.onEndpointsUpdate(ServiceFixtures.key("web"), List.of(ServiceFixtures.ep("10.244.2.77", 8080, EndpointInfo.Conditions.READY)));
        await().until(() -> proxy.status().syncs() == 2);

        assertThat(proxy.status().failures()).isEqualTo(2);
        assertThat(nft.applied.getLast()).startsWith("add table ip knet-services\ndelete table ip knet-services\n");
        assertThat(nft.dump()).contains("10.244.2.77 . 8080");
    }

    @Test
    void aPeriodicResyncWritesNothingWhenTheTableIsIntactAndRepairsItWhenNot() throws Exception {
        feed(ServiceFixtures.standard());
        proxy.markServicesSynced();
        proxy.markEndpointsSynced();
        await().until(() -> proxy.status().syncs() == 1);
        proxy.requestResync();
        proxy.awaitIdle();
        assertThat(nft.applied).hasSize(1);
        assertThat(proxy.status().resyncRepairs()).isZero();

        nft.fake.run(new NftTransaction().delete(ServiceLayout.TABLE)); // someone else removed the table
        long generated = proxy.status().servicesGenerated();
        proxy.requestResync();
        await().until(() -> proxy.status().resyncRepairs() == 1);
        assertThat(nft.dump()).isEqualTo(ServiceRulesetGoldenTest.golden());
        assertThat(proxy.status().servicesGenerated()).as("rewritten from the cache").isEqualTo(generated);
    }

    @Test
    void aPartialSyncRegeneratesOnlyTheTouchedService() throws Exception {
        ServiceFixtures f = ServiceFixtures.standard();
        feed(f);
        proxy.markServicesSynced();
        proxy.markEndpointsSynced();
        await().until(() -> proxy.status().syncs() == 1);
        long afterFull = proxy.status().servicesGenerated();
        // at least once each; a service prepared ahead while the lists still arrived may have been generated twice
        assertThat(afterFull).isGreaterThanOrEqualTo(f.services.size());

        List<EndpointInfo> eps = List.of(ServiceFixtures.ep("10.244.1.5", 8080, EndpointInfo.Conditions.READY),
                ServiceFixtures.ep("10.244.2.55", 8080, EndpointInfo.Conditions.READY));
        proxy.onEndpointsUpdate(ServiceFixtures.key("web"), eps);
        await().until(() -> proxy.status().syncs() == 2);
        assertThat(proxy.status().servicesGenerated()).isEqualTo(afterFull + 1);
        assertThat(nft.applied.getLast()).isEqualTo("delete element ip knet-services backends { 10.96.0.10 . tcp . 80 . 1 }\n"
                + "add element ip knet-services backends { 10.96.0.10 . tcp . 80 . 1 : 10.244.2.55 . 8080 }\n");
        f.endpoints.put(ServiceFixtures.key("web"), eps);
        FakeNftables fresh = new FakeNftables();
        fresh.run(f.ruleset().fullTransaction());
        assertThat(nft.dump()).isEqualTo(fresh.dump());
    }

    @Test
    void smallChangesArePartialSyncs() throws Exception {
        feed(ServiceFixtures.standard());
        proxy.markServicesSynced();
        proxy.markEndpointsSynced();
        await().until(() -> proxy.status().syncs() == 1);
        proxy.onEndpointsDelete(ServiceFixtures.key("np"));
        await().until(() -> proxy.status().syncs() == 2);
        assertThat(nft.applied.getLast().lines()).allMatch(l -> l.contains(" element "));
        assertThat(nft.dump()).contains("add element ip knet-services no-endpoint-nodeports { tcp . 30080 : goto reject-chain }");
    }
}
