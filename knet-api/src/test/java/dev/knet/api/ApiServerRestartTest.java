package dev.knet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.knet.store.ApiStore;
import dev.knet.store.DefaultApiStore;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Health endpoints, and an API server restarted on its address: watching clients carry on without help. */
class ApiServerRestartTest {

    private ApiStore store;
    private ApiServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        store = DefaultApiStore.builder().build();
        server = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), store, ControlPlaneHooks.NONE);
        Config config = new ConfigBuilder().withMasterUrl(server.url()).withNamespace("default")
                .withWatchReconnectInterval(100).withRequestRetryBackoffInterval(100).build();
        client = new KubernetesClientBuilder().withConfig(config).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        store.close();
    }

    private static Service service(String name) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().addNewPort().withPort(80).endPort().endSpec().build();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/healthz", "/livez", "/readyz"})
    void healthEndpointsAnswerOk(String path) throws Exception {
        HttpResponse<String> response = get(server.url() + path);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
    }

    @Test
    void anInformerFollowsTheStoreAcrossARestartOnTheSameAddress() throws Exception {
        store.commit(List.of(new Mutation.Apply(service("before"))));
        try (SharedIndexInformer<Service> informer = client.services().inNamespace("default").inform()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> informer.getStore().getByKey("default/before") != null);

            InetSocketAddress address = server.address();
            server.close();
            server = ApiServer.start(address, store, ControlPlaneHooks.NONE);
            assertThat(get(server.url() + "/healthz").body()).isEqualTo("ok");
            store.commit(List.of(new Mutation.Apply(service("after"))));

            await().atMost(Duration.ofSeconds(30)).until(() -> informer.getStore().getByKey("default/after") != null);
            assertThat(informer.getStore().getByKey("default/before")).isNotNull();
        }
    }
}
