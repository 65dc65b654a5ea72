package dev.knet.agent.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.knet.dataplane.nft.FakeNftables;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ExternalIpsTest {

    @Test
    void externalIpsLeadToTheEndpointsLikeTheClusterIp() throws Exception {
        FakeNftables nft = new FakeNftables();
        try (ServiceProxy proxy = new ServiceProxy(ServiceFixtures.NODE, nft, new SimpleMeterRegistry(), ServiceProxyTest.FAST)) {
            ServiceProxyFeed feed = new ServiceProxyFeed(proxy, "node-a");
            Service web = new ServiceBuilder().withNewMetadata().withNamespace("shop").withName("web").endMetadata()
                    .withNewSpec().withClusterIP("10.96.0.10").withExternalIPs("203.0.113.250")
                    .addNewPort().withName("http").withPort(80).endPort().endSpec().build();
            feed.serviceUpserted(web);
            feed.sliceUpserted(ServiceTranslatorTest.slice("web-1", "http", 8080,
                    ServiceTranslatorTest.ep("10.244.1.5", "node-a", true, true, false)));
            feed.servicesListed();
            feed.slicesListed();

            await().until(() -> nft.dump().contains("10.244.1.5 . 8080"));
            String dump = nft.dump();
            assertThat(dump).contains("203.0.113.250 . tcp . 80 : goto svc-1", "203.0.113.250 . tcp . 80 . 0 : 10.244.1.5 . 8080");
        }
    }
}
