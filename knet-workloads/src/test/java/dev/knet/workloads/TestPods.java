package dev.knet.workloads;

import dev.knet.workloads.net.NettyLoops;
import dev.knet.workloads.pod.NetnsExecutor;
import dev.knet.workloads.pod.PodContext;
import dev.knet.workloads.pod.PodResolver;
import dev.knet.workloads.pod.PodSockets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Pods for unit tests: same namespace as the test, servers on loopback, one shared event loop group. */
public final class TestPods {

    public static final NettyLoops LOOPS = NettyLoops.start(2);
    public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestPods() {
    }

    public static PodContext pod(String name, PodResolver resolver, Map<String, String> env) {
        PodSockets sockets = new PodSockets("knet-test-" + name, NetnsExecutor.sameNamespace(), LOOPS);
        return new PodContext("default", name, name, LOOPBACK, "knet-test-" + name, sockets, resolver, env, LOOPBACK);
    }

    public static PodContext pod(String name) {
        return pod(name, StubResolver.empty(), Map.of());
    }

    /** A TCP port nothing listens on right now (also free for UDP, checked). */
    public static int freePort() {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, LOOPBACK)) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(port, LOOPBACK)) {
                    return port;
                } catch (IOException taken) {
                    // the UDP side is busy: try another
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port found");
    }

    public static HttpResponse<String> get(int port, String pathAndQuery) {
        return get(port, pathAndQuery, Map.of());
    }

    public static HttpResponse<String> get(int port, String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(20));
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
