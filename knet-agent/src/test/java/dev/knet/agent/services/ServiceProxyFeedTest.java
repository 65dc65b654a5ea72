package dev.knet.agent.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.knet.dataplane.nft.FakeNftables;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ServiceProxyFeedTest {

    @Test
    void slicesOfOneServiceAreMergedAndRemovedOneByOne() throws Exception {
        FakeNftables nft = new FakeNftables();
        try (ServiceProxy proxy = new ServiceProxy(ServiceFixtures.NODE, nft, new SimpleMeterRegistry(), ServiceProxyTest.FAST)) {
            ServiceProxyFeed feed = new ServiceProxyFeed(proxy, "node-a");
            Service web = new ServiceBuilder().withNewMetadata().withNamespace("shop").withName("web").endMetadata()
                    .withNewSpec().withClusterIP("10.96.0.10").addNewPort().withName("http").withPort(80).endPort().endSpec().build();
            EndpointSlice one = ServiceTranslatorTest.slice("web-1", "http", 8080, ServiceTranslatorTest.ep("10.244.1.5", "node-a", true, true, false));
            EndpointSlice two = ServiceTranslatorTest.slice("web-2", "http", 8080, ServiceTranslatorTest.ep("10.244.2.5", "node-b", true, true, false));
            feed.serviceUpserted(web);
            feed.sliceUpserted(one);
            feed.sliceUpserted(two);
            feed.servicesListed();
            feed.slicesListed();
            await().until(() -> nft.dump().contains("10.244.2.5 . 8080") && nft.dump().contains("10.244.1.5 . 8080"));

            feed.sliceDeleted(one);
            await().until(() -> !nft.dump().contains("10.244.1.5 . 8080"));
            feed.sliceDeleted(two);
            await().until(() -> nft.dump().contains("no-endpoints { 10.96.0.10 . tcp . 80 : goto reject-chain }"));
            feed.serviceDeleted(web);
            await().until(() -> !nft.dump().contains("10.96.0.10"));
        }
    }
}
