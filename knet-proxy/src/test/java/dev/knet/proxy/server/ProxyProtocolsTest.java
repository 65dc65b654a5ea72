package dev.knet.proxy.server;

import dev.knet.model.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP/2 over cleartext (prior knowledge and upgrade) and TLS with SNI and ALPN. */
class ProxyProtocolsTest {

    private static final String INGRESS = """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: tls, namespace: default}
            spec:
              tls:
              - {hosts: [a.example.com], secretName: a-tls}
              - {hosts: [b.example.com], secretName: b-tls}
              rules:
              - http:
                  paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}}
            """;

    private static EchoBackend app;
    private static IngressProxy proxy;
    private static TestCertificates.Issued certA;
    private static TestCertificates.Issued certB;
    private static H2Client h2;

    @BeforeAll
    static void start() throws Exception {
        io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.PARANOID);
        app = new EchoBackend("app");
        certA = TestCertificates.selfSigned("a.example.com");
        certB = TestCertificates.selfSigned("b.example.com");
        proxy = IngressProxy.builder()
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .tlsListen(new InetSocketAddress("127.0.0.1", 0))
                .endpoints(new FakeEndpoints().set("default/app", List.of(app.address())))
                .threads(2)
                .build().start();
        List<HasMetadata> ingress = Manifests.parse(INGRESS, "ingress");
        proxy.updateRoutes(ingress, List.of(), List.of(),
                List.of(certA.secret("default", "a-tls"), certB.secret("default", "b-tls")), List.of());
        h2 = new H2Client();
    }

    @AfterAll
    static void stop() {
        if (h2 != null) {
            h2.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void h2cPriorKnowledge() throws Exception {
        H2Client.Response response = h2.get(proxy.httpAddress(), null, null, "a.example.com", "/prior");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).startsWith("app GET /prior\n").contains("host: a.example.com");
    }

    @Test
    void h2cUpgradeThenKeepsServing() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            URI base = URI.create("http://127.0.0.1:" + proxy.httpAddress().getPort());
            for (String path : List.of("/upgrade", "/second")) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve(path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(response.body()).startsWith("app GET " + path + "\n");
            }
        }
    }

    @ParameterizedTest(name = "SNI {0}")
    @CsvSource({"a.example.com", "b.example.com"})
    void sniPicksTheCertificateAndHttp1Works(String host) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustEverything()}, null);
        InetSocketAddress address = proxy.tlsAddress();
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(address.getAddress(), address.getPort())) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host)));
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            X509Certificate presented = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            assertThat(presented.getSubjectX500Principal().getName()).isEqualTo("CN=" + host);
            try (RawHttp http = new RawHttp(socket)) {
                RawHttp.Response response = http.exchange(RawHttp.get(host, "/tls"));
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).contains("x-forwarded-proto: https");
            }
        }
    }

    @Test
    void alpnNegotiatesH2AndTheCertificateVerifies() throws Exception {
        SslContext client = SslContextBuilder.forClient().trustManager(certB.certificate())
                .endpointIdentificationAlgorithm("HTTPS")
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
                .build();
        H2Client.Response response = h2.get(proxy.tlsAddress(), client, "b.example.com", "b.example.com", "/alpn");
        assertThat(response.sslProtocol()).isEqualTo("h2");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).startsWith("app GET /alpn\n").contains("x-forwarded-proto: https");
    }

    /** Test-only: accepts any certificate so the test can inspect which one was presented. */
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
