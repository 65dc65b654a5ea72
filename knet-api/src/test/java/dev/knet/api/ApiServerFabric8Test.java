package dev.knet.api;

import dev.knet.store.ApiStore;
import dev.knet.store.DefaultApiStore;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The REST shape is the Kubernetes one: fabric8's own client lists, watches and writes through it. */
class ApiServerFabric8Test {

    private ApiStore store;
    private ApiServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        store = DefaultApiStore.builder().build();
        server = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), store, ControlPlaneHooks.NONE);
        Config config = new ConfigBuilder().withMasterUrl(server.url()).withNamespace("default")
                .withRequestRetryBackoffLimit(0).build();
        client = new KubernetesClientBuilder().withConfig(config).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        store.close();
    }

    private static Pod pod(String name, String app) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").addToLabels("app", app)
                .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer()
                .endSpec().build();
    }

    @Test
    void createsListsGetsAndDeletesThroughFabric8() {
        client.pods().resource(pod("web-1", "web")).create();
        client.pods().resource(pod("db-1", "db")).create();

        assertThat(client.pods().list().getItems()).extracting(p -> p.getMetadata().getName())
                .containsExactly("db-1", "web-1");
        assertThat(client.pods().withLabel("app", "web").list().getItems()).hasSize(1);
        Pod web = client.pods().withName("web-1").get();
        assertThat(web.getMetadata().getUid()).isNotBlank();
        assertThat(web.getMetadata().getResourceVersion()).isNotBlank();

        client.pods().withName("web-1").delete();
        assertThat(client.pods().withName("web-1").get()).isNull();
    }

    @Test
    void staleResourceVersionIsAConflict() {
        Pod created = client.pods().resource(pod("web-1", "web")).create();
        Pod stale = new PodBuilder(created).build();
        created.getMetadata().getLabels().put("tier", "front");
        client.pods().resource(created).update();

        stale.getMetadata().getLabels().put("tier", "back");
        assertThatThrownBy(() -> client.pods().resource(stale).update())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));
    }

    @Test
    void invalidRequestsGetKubernetesStatusCodes() {
        assertThatThrownBy(() -> client.services().resource(new ServiceBuilder().withNewMetadata()
                .withName("x").withNamespace("nowhere").endMetadata().withNewSpec().endSpec().build()).create())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(404));
    }

    @Test
    void watchDeliversChangesInOrder() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (var watch = client.pods().watch(new Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                seen.add(action + " " + pod.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            client.pods().resource(pod("a", "x")).create();
            client.pods().resource(pod("b", "x")).create();
            client.pods().withName("a").delete();
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 3);
        }
        assertThat(seen).containsExactly("ADDED a", "ADDED b", "DELETED a");
    }

    @Test
    void podsOnANodeGoGracefullyUntilTheirAgentDeletesThemWithGraceZero() {
        Pod bound = pod("web-1", "web");
        bound.getSpec().setNodeName("node-1");
        client.pods().resource(bound).create();

        client.pods().withName("web-1").delete();
        Pod terminating = client.pods().withName("web-1").get();
        assertThat(terminating.getMetadata().getDeletionTimestamp()).as("graceful: still there, terminating").isNotNull();

        client.pods().withName("web-1").withGracePeriod(0).delete();
        assertThat(client.pods().withName("web-1").get()).isNull();
    }
}
