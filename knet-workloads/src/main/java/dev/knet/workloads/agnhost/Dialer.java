package dev.knet.workloads.agnhost;

import dev.knet.workloads.net.HttpResult;
import dev.knet.workloads.net.PodHttpClient;
import dev.knet.workloads.pod.PodContext;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** netexec's /dial: one request per try from inside the pod, collecting responses and errors as agnhost does. */
final class Dialer {

    /** agnhost's client timeout for each try, HTTP and UDP alike. */
    static final Duration TRY_TIMEOUT = Duration.ofSeconds(5);

    enum Protocol { HTTP, UDP, SCTP }

    private final PodContext ctx;

    Dialer(PodContext ctx) {
        this.ctx = ctx;
    }

    /** agnhost's JSON object: "responses" only when the last try answered something, "errors" only if any. */
    Map<String, List<String>> dial(Protocol protocol, InetSocketAddress target, String request, int tries) {
        List<String> responses = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        String last = "";
        for (int i = 0; i < tries; i++) {
            try {
                last = once(protocol, target, request);
                responses.add(last);
            } catch (IOException e) {
                last = "";
                errors.add(e.getMessage());
            }
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (!last.isEmpty()) {
            out.put("responses", responses);
        }
        if (!errors.isEmpty()) {
            out.put("errors", errors);
        }
        return out;
    }

    private String once(Protocol protocol, InetSocketAddress target, String request) throws IOException {
        return switch (protocol) {
            case HTTP -> http(target, request);
            case UDP -> udp(target, request);
            case SCTP -> throw new IOException("sctp dial failed. err:protocol not supported (this kernel has no SCTP)");
        };
    }

    private String http(InetSocketAddress target, String request) throws IOException {
        String path = request.startsWith("/") ? request : "/" + request;
        String url = "http://" + HostPorts.join(target.getAddress().getHostAddress(), target.getPort()) + path;
        try {
            // the target is already resolved: dial it as an IP literal, as agnhost does
            HttpResult result = new PodHttpClient(ctx.sockets(), (h, p) -> List.of(target))
                    .get(target.getAddress().getHostAddress(), target.getPort(), path, Map.of(), TRY_TIMEOUT);
            return result.body();
        } catch (IOException e) {
            throw new IOException("Get \"" + url + "\": " + e.getMessage(), e);
        }
    }

    private String udp(InetSocketAddress target, String request) throws IOException {
        try (DatagramSocket socket = ctx.sockets().openUdp()) {
            socket.connect(target);
            byte[] out = request.getBytes(StandardCharsets.UTF_8);
            try {
                socket.send(new DatagramPacket(out, out.length));
            } catch (IOException e) {
                throw new IOException("udp connection write failed. err:" + e.getMessage(), e);
            }
            socket.setSoTimeout((int) TRY_TIMEOUT.toMillis());
            byte[] in = new byte[2048];
            DatagramPacket packet = new DatagramPacket(in, in.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                throw new IOException("reading from udp connection failed. err:'" + e.getMessage() + "'", e);
            }
            if (packet.getLength() == 0) {
                throw new IOException("reading from udp connection failed. err:'<nil>'");
            }
            return new String(in, 0, packet.getLength(), StandardCharsets.UTF_8);
        }
    }
}
