package dev.knet.proxy.lab;

import dev.knet.model.KnetJson;
import dev.knet.proxy.route.RouteOptions;
import dev.knet.proxy.route.RouteTable;
import dev.knet.proxy.server.IngressProxy;
import dev.knet.proxy.server.ProxySettings;
import dev.knet.proxy.server.RawHttp;
import dev.knet.proxy.server.TestCertificates;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The proxy in a network namespace of its own, backends in two others, a client in a fourth,
 * joined by veth pairs: every case of conformance/ingress/cases.yaml through real sockets.
 *
 * <pre>
 *  client 198.18.201.2 --veth-- 198.18.201.1 proxy 198.18.202.1 --veth-- 198.18.202.2 backends-a
 *                                              198.18.203.1 --veth-- 198.18.203.2 backends-b
 * </pre>
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngressLabTest {

    static final InetAddress PROXY = InetAddress.ofLiteral("198.18.201.1");
    private static final InetAddress BACKENDS_A = InetAddress.ofLiteral("198.18.202.2");
    private static final InetAddress BACKENDS_B = InetAddress.ofLiteral("198.18.203.2");

    private final LabNamespaces lab = new LabNamespaces();
    private final LabBackends backends = new LabBackends();
    private final Map<String, TestCertificates.Issued> certificates = new LinkedHashMap<>();
    private String client;
    private IngressProxy proxy;

    @BeforeAll
    void start() throws Exception {
        String why = LabNamespaces.unavailable().orElse(null);
        assumeTrue(why == null, why);
        try {
            String proxyNs = lab.add("px");
            client = lab.add("cl");
            String a = lab.add("ba");
            String b = lab.add("bb");
            lab.link(proxyNs, "c0", "198.18.201.1/30", client, "eth0", "198.18.201.2/30");
            lab.link(proxyNs, "b1", "198.18.202.1/30", a, "eth0", "198.18.202.2/30");
            lab.link(proxyNs, "b2", "198.18.203.1/30", b, "eth0", "198.18.203.2/30");
            int i = 0;
            for (Map.Entry<String, Integer> service : ConformanceCases.services().entrySet()) {
                boolean first = i++ % 2 == 0;
                backends.start(first ? a : b, first ? BACKENDS_A : BACKENDS_B, service.getKey(), service.getValue());
            }
            proxy = LabNamespaces.in(proxyNs, () -> IngressProxy.builder()
                    .listen(new InetSocketAddress(PROXY, 80)).tlsListen(new InetSocketAddress(PROXY, 443))
                    .settings(ProxySettings.defaults().withRequestTimeout(Duration.ofSeconds(1)))
                    .endpoints(backends).threads(1).build().start());
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        backends.close();
        lab.close();
    }

    static Stream<Arguments> cases() throws Exception {
        return ConformanceCases.load().stream().map(c -> Arguments.of(c.get("id"), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void conformanceCaseThroughTheProxy(String id, Map<String, Object> c) throws Exception {
        Map<String, Object> objects = (Map<String, Object>) c.get("objects");
        Map<String, Object> request = (Map<String, Object>) c.get("request");
        Map<String, Object> expect = (Map<String, Object>) c.get("expect");
        Ingress ingress = KnetJson.serialization().convertValue(objects.get("ingress"), Ingress.class);
        List<Secret> secrets = new ArrayList<>();
        for (Map<String, Object> s : (List<Map<String, Object>>) objects.getOrDefault("secrets", List.of())) {
            String host = (String) s.get("self_signed_for");
            TestCertificates.Issued cert = certificates.computeIfAbsent(host, h -> issue(h));
            secrets.add(cert.secret("default", (String) s.get("name")));
        }
        proxy.updateRoutes(RouteTable.compile(List.<HasMetadata>of(ingress), RouteOptions.defaults()), secrets);

        String host = (String) request.get("host");
        host = host.startsWith("<") ? PROXY.getHostAddress() : host;
        String method = request.get("method") == null ? "GET" : (String) request.get("method");
        boolean https = "https".equals(request.get("scheme"));
        int repeat = request.get("repeat") instanceof Integer n ? n : 1;
        String raw = method + " " + request.get("path") + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 0\r\n\r\n";

        Set<String> pods = new HashSet<>();
        for (int i = 0; i < repeat; i++) {
            try (Socket socket = https ? tls(host) : LabNamespaces.connect(client, new InetSocketAddress(PROXY, 80));
                 RawHttp http = new RawHttp(socket)) {
                RawHttp.Response response = http.exchange(raw);
                Object status = expect.get("status");
                if (!(status instanceof Integer)) {
                    // "not served by this controller": no backend answers
                    assertThat(response.status()).as(id).isEqualTo(404);
                    continue;
                }
                assertThat(response.status()).as(id + ": " + response.body()).isEqualTo(status);
                if ((Integer) status != 200) {
                    continue;
                }
                String[] first = response.body().lines().findFirst().orElse("").split(" ");
                pods.add(first[1]);
                String backend = expectedBackend(objects, expect, ingress);
                assertThat(first[0]).as(id + " backend").isEqualTo(backend);
                checkEcho(id, expect, response, first, host);
                if (https) {
                    X509Certificate served = (X509Certificate) ((SSLSocket) socket).getSession().getPeerCertificates()[0];
                    assertThat(served).as(id + " certificate")
                            .isEqualTo(certificates.get((String) expect.get("tls_certificate_verifies_for")).certificate());
                }
            }
        }
        if (expect.get("distinct_backend_pods_at_least") instanceof Integer least) {
            assertThat(pods).as(id + " pods").hasSizeGreaterThanOrEqualTo(least);
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkEcho(String id, Map<String, Object> expect, RawHttp.Response response, String[] first,
                                  String host) {
        if (expect.get("backend_sees_host") instanceof String seen) {
            assertThat(response.body()).as(id + " host seen").contains("\nhost: " + seen + "\n");
        }
        if (expect.get("backend_sees") instanceof Map<?, ?> sees) {
            assertThat(first[2]).as(id + " method seen").isEqualTo(sees.get("method"));
            assertThat(first[3]).as(id + " path seen").isEqualTo(sees.get("path"));
            assertThat(first[4]).as(id + " protocol seen").isEqualTo(sees.get("proto"));
            assertThat(response.body()).as(id + " forwarded").contains("\nx-forwarded-for: 198.18.201.2\n")
                    .contains("\nx-forwarded-proto: http\n").contains("\nx-forwarded-host: " + host + "\n");
        }
        for (String header : (List<String>) expect.getOrDefault("response_headers_present", List.of())) {
            assertThat(response.header(header)).as(id + " response header " + header).isNotNull();
        }
    }

    /** The backend named by the case, or the only one of its replica table. */
    private static String expectedBackend(Map<String, Object> objects, Map<String, Object> expect, Ingress ingress) {
        if (expect.get("backend") instanceof String name) {
            return name;
        }
        if (objects.get("backend_replicas") instanceof Map<?, ?> replicas) {
            return (String) replicas.keySet().iterator().next();
        }
        IngressBackend fallback = ingress.getSpec().getDefaultBackend();
        return fallback == null ? null : fallback.getService().getName();
    }

    private Socket tls(String host) throws Exception {
        Socket plain = LabNamespaces.connect(client, new InetSocketAddress(PROXY, 443));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustEverything()}, null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, 443, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(host)));
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private static TestCertificates.Issued issue(String host) {
        try {
            return TestCertificates.selfSigned(host);
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a certificate for " + host, e);
        }
    }

    @Test
    void badRequestsAreRefusedWhileAnotherClientKeepsBeingServed() throws Exception {
        LabBadRequests.run(proxy, client);
    }

    /** The certificate is checked by comparing it with the one issued, not by a trust store. */
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
