package dev.knet.api;

import dev.knet.model.KnetJson;
import dev.knet.store.ApiStore;
import dev.knet.store.DefaultApiStore;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A DELETE's gracePeriodSeconds, from the query or a DeleteOptions body, over HTTP. */
class DeleteGraceTest {

    private static final long SPEC_GRACE = 30;
    private ApiStore store;
    private ApiServer server;
    private KubernetesClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        store = DefaultApiStore.builder().build();
        server = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), store, ControlPlaneHooks.NONE);
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(server.url())
                .withNamespace("default").withRequestRetryBackoffLimit(0).build()).build();
        client.pods().resource(new PodBuilder().withNewMetadata().withName("p").withNamespace("default").endMetadata()
                .withNewSpec().withNodeName("node-1").withTerminationGracePeriodSeconds(SPEC_GRACE).addNewContainer()
                .withName("c").withImage("busybox").endContainer().endSpec().build()).create();
    }

    @AfterEach
    void stop() {
        client.close();
        http.close();
        server.close();
        store.close();
    }

    /** What the DELETE answered, and the pod's grace afterwards (null: the pod is gone). */
    record Expected(int code, Long grace, String messageHas) {
        static Expected terminating(long grace) {
            return new Expected(200, grace, "");
        }

        static Expected removed() {
            return new Expected(200, null, "");
        }

        static Expected refused(int code, String messageHas) {
            return new Expected(code, SPEC_GRACE, messageHas);
        }
    }

    static Stream<Arguments> deletes() {
        return Stream.of(
                Arguments.of("no options: the pod's own grace", "", "", Expected.terminating(SPEC_GRACE)),
                Arguments.of("query gracePeriodSeconds", "?gracePeriodSeconds=5", "", Expected.terminating(5)),
                Arguments.of("DeleteOptions body", "", options(7), Expected.terminating(7)),
                Arguments.of("a longer grace than the spec's is taken", "?gracePeriodSeconds=90", "",
                        Expected.terminating(90)),
                Arguments.of("the query wins over the body", "?gracePeriodSeconds=5", options(20),
                        Expected.terminating(5)),
                Arguments.of("query 0 removes the pod now", "?gracePeriodSeconds=0", "", Expected.removed()),
                Arguments.of("body 0 removes the pod now", "", options(0), Expected.removed()),
                Arguments.of("a body that is no DeleteOptions is a plain delete", "", "not json",
                        Expected.terminating(SPEC_GRACE)),
                Arguments.of("a negative query grace counts as one second", "?gracePeriodSeconds=-1", "",
                        Expected.terminating(1)),
                Arguments.of("a negative body grace counts as one second", "", options(-3), Expected.terminating(1)),
                Arguments.of("a grace that is no integer is a bad request", "?gracePeriodSeconds=soon", "",
                        Expected.refused(400, "gracePeriodSeconds")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deletes")
    void aDeleteTakesItsGrace(String name, String query, String body, Expected expected) throws Exception {
        HttpResponse<String> response = delete(query, body);

        assertThat(response.statusCode()).as("status code").isEqualTo(expected.code());
        if (expected.code() != 200) {
            Status status = KnetJson.fromJson(response.body(), Status.class);
            assertThat(status.getMessage()).contains(expected.messageHas());
        }
        Pod after = client.pods().withName("p").get();
        if (expected.grace() == null) {
            assertThat(after).as("removed").isNull();
        } else if (expected.code() == 200) {
            assertThat(after.getMetadata().getDeletionGracePeriodSeconds()).as("grace").isEqualTo(expected.grace());
            assertThat(after.getMetadata().getDeletionTimestamp()).as("terminating").isNotNull();
        } else {
            assertThat(after.getMetadata().getDeletionTimestamp()).as("refused: not terminating").isNull();
        }
    }

    @Test
    void aLaterDeleteThroughFabric8ShortensTheGraceButNeverLengthensIt() {
        client.pods().withName("p").delete();
        assertThat(grace()).isEqualTo(SPEC_GRACE);

        client.pods().withName("p").withGracePeriod(5).delete();
        assertThat(grace()).as("shortened").isEqualTo(5L);

        client.pods().withName("p").withGracePeriod(60).delete();
        assertThat(grace()).as("not lengthened").isEqualTo(5L);

        client.pods().withName("p").withGracePeriod(0).delete();
        assertThat(client.pods().withName("p").get()).as("let go").isNull();
    }

    private Long grace() {
        return client.pods().withName("p").get().getMetadata().getDeletionGracePeriodSeconds();
    }

    private static String options(long grace) {
        return "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":" + grace + "}";
    }

    private HttpResponse<String> delete(String query, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/namespaces/default/pods/p"
                        + query)).header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
