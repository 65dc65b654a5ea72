package dev.knet.proxy.controller;

import dev.knet.api.ApiServer;
import dev.knet.api.ControlPlaneHooks;
import dev.knet.model.Manifests;
import dev.knet.proxy.server.EchoBackend;
import dev.knet.proxy.server.RawHttp;
import dev.knet.proxy.server.TestCertificates;
import dev.knet.store.ApiStore;
import dev.knet.store.DefaultApiStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The controller against knet's own API server: what is applied there is what the proxy serves. */
class IngressControllerTest {

    private static EchoBackend one;
    private static EchoBackend two;
    private ApiStore store;
    private ApiServer api;
    private KubernetesClient client;
    private IngressController controller;

    @BeforeAll
    static void backends() throws Exception {
        one = new EchoBackend("one");
        two = new EchoBackend("two");
    }

    @AfterAll
    static void stopBackends() {
        one.close();
        two.close();
    }

    @BeforeEach
    void start() throws Exception {
        store = DefaultApiStore.builder().build();
        api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), store, ControlPlaneHooks.NONE);
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(api.url())
                .withRequestRetryBackoffLimit(0).build()).build();
        apply(service("app") + slice("app", "a", one.address()));
        controller = IngressController.builder(api.url())
                .http(new InetSocketAddress("127.0.0.1", 0)).https(new InetSocketAddress("127.0.0.1", 0))
                .ingressClassName("knet").statusAddress("198.18.0.100").debounce(Duration.ofMillis(20))
                .start();
    }

    @AfterEach
    void stop() {
        controller.close();
        client.close();
        api.close();
        store.close();
    }

    @Test
    void servesAnIngressAppliedAfterStartAndForgetsItWhenDeleted() throws Exception {
        assertThat(get("a.test", "/x").status()).isEqualTo(404);

        apply(ingress("web", "knet", "a.test", "app"));
        await().untilAsserted(() -> assertThat(get("a.test", "/x").body()).startsWith("one GET /x"));

        client.network().v1().ingresses().inNamespace("default").withName("web").delete();
        await().untilAsserted(() -> assertThat(get("a.test", "/x").status()).isEqualTo(404));
    }

    @Test
    void followsEndpointSliceChanges() throws Exception {
        apply(ingress("web", "knet", "a.test", "app"));
        await().untilAsserted(() -> assertThat(get("a.test", "/").body()).startsWith("one "));

        apply(slice("app", "b", two.address()));
        Set<String> seen = new HashSet<>();
        await().untilAsserted(() -> {
            seen.add(get("a.test", "/").body().split(" ")[0]);
            assertThat(seen).containsExactlyInAnyOrder("one", "two");
        });

        apply(slice("app", "a", null) + slice("app", "b", null));
        await().untilAsserted(() -> assertThat(get("a.test", "/").status()).isEqualTo(503));
    }

    @Test
    void servesOnlyItsIngressClassAndPublishesItsAddressThere() throws Exception {
        apply(ingress("ours", "knet", "ours.test", "app") + ingress("theirs", "nginx", "theirs.test", "app"));

        await().untilAsserted(() -> assertThat(get("ours.test", "/").status()).isEqualTo(200));
        assertThat(get("theirs.test", "/").status()).isEqualTo(404);
        await().untilAsserted(() -> assertThat(statusIps("ours")).containsExactly("198.18.0.100"));
        assertThat(statusIps("theirs")).isEmpty();
    }

    @Test
    void servesHttpRoutesOfGatewaysOfItsGatewayClass() throws Exception {
        apply("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: GatewayClass
                metadata: {name: other}
                spec: {controllerName: example.com/other}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: default}
                spec:
                  gatewayClassName: knet
                  listeners: [{name: http, port: 80, protocol: HTTP, hostname: gw.test}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: foreign, namespace: default}
                spec:
                  gatewayClassName: other
                  listeners: [{name: http, port: 80, protocol: HTTP, hostname: foreign.test}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: r, namespace: default}
                spec:
                  parentRefs: [{name: gw}, {name: foreign}]
                  rules:
                  - matches: [{path: {type: PathPrefix, value: /api}}]
                    backendRefs: [{name: app, port: 80}]
                """);

        await().untilAsserted(() -> assertThat(get("gw.test", "/api/v1").body()).startsWith("one GET /api/v1"));
        assertThat(get("foreign.test", "/api/v1").status()).isEqualTo(404);
    }

    @Test
    void servesTlsWithTheCertificateOfTheSecret() throws Exception {
        TestCertificates.Issued cert = TestCertificates.selfSigned("secure.test");
        client.secrets().inNamespace("default").resource(cert.secret("default", "secure-tls")).create();
        apply(ingress("secure", "knet", "secure.test", "app").replace("spec:\n",
                "spec:\n  tls: [{hosts: [secure.test], secretName: secure-tls}]\n"));

        await().ignoreExceptions().untilAsserted(() -> {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {new TrustEverything()}, null);
            InetSocketAddress address = controller.httpsAddress();
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(address.getAddress(), address.getPort())) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName("secure.test")));
                socket.setSSLParameters(parameters);
                RawHttp.Response response = new RawHttp(socket).exchange(RawHttp.get("secure.test", "/s"));
                assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(cert.certificate());
                assertThat(response.body()).startsWith("one GET /s");
            }
        });
    }

    private RawHttp.Response get(String host, String path) throws Exception {
        try (RawHttp http = new RawHttp(controller.httpAddress())) {
            return http.exchange(RawHttp.get(host, path));
        }
    }

    private List<String> statusIps(String ingress) {
        Ingress i = client.network().v1().ingresses().inNamespace("default").withName(ingress).get();
        if (i.getStatus() == null || i.getStatus().getLoadBalancer() == null
                || i.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        return i.getStatus().getLoadBalancer().getIngress().stream().map(e -> e.getIp()).toList();
    }

    private void apply(String yaml) {
        for (HasMetadata o : Manifests.parse(yaml, "test")) {
            client.resource(o).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
        }
    }

    private static String ingress(String name, String className, String host, String service) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: %s, namespace: default}
                spec:
                  ingressClassName: %s
                  rules:
                  - host: %s
                    http:
                      paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: %s, port: {number: 80}}}}
                ---
                """.formatted(name, className, host, service);
    }

    private static String service(String name) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %s, namespace: default}
                spec:
                  ports: [{name: http, port: 80, targetPort: 8080}]
                ---
                """.formatted(name);
    }

    /** One slice of the Service with one endpoint (null: none) at its backend's real port. */
    private static String slice(String service, String suffix, InetSocketAddress endpoint) {
        return """
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: %s-%s
                  namespace: default
                  labels: {kubernetes.io/service-name: %s}
                addressType: IPv4
                ports: [{name: http, port: %d, protocol: TCP}]
                endpoints: %s
                ---
                """.formatted(service, suffix, service, endpoint == null ? 8080 : endpoint.getPort(),
                endpoint == null ? "[]" : "[{addresses: [" + endpoint.getAddress().getHostAddress()
                        + "], conditions: {ready: true}}]");
    }

    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
