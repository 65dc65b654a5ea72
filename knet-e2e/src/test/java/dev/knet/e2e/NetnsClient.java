package dev.knet.e2e;

import com.sun.net.httpserver.HttpServer;
import dev.knet.dataplane.netns.NetnsThread;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Probes from inside a namespace without a process per probe: each call runs on a thread switched into the
 * namespace, so its socket lives there. Results are one line, "ok STATUS BODY" (HTTP), "ok ANSWER" (UDP), or
 * how it failed: "refused" (TCP reset or ICMP port unreachable), "timeout", "unreachable", "reset", "error ...".
 */
final class NetnsClient {

    private NetnsClient() {
    }

    static String http(String netns, String url, double timeoutSeconds) {
        URI uri = URI.create(url);
        int timeout = (int) (timeoutSeconds * 1000);
        return inNetns(netns, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort()), timeout);
                socket.setSoTimeout(timeout);
                String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + path + " HTTP/1.0\r\nHost: " + uri.getHost() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String response = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
                int headerEnd = response.indexOf("\r\n\r\n");
                String[] status = response.split(" ", 3);
                if (headerEnd < 0 || status.length < 2) {
                    return "error incomplete_response";
                }
                return "ok " + status[1] + " " + response.substring(headerEnd + 4).strip();
            }
        });
    }

    static String udp(String netns, String host, int port, String message, double timeoutSeconds) {
        return inNetns(netns, () -> {
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.connect(new InetSocketAddress(host, port));
                socket.setSoTimeout((int) (timeoutSeconds * 1000));
                byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(bytes, bytes.length));
                DatagramPacket answer = new DatagramPacket(new byte[65535], 65535);
                socket.receive(answer);
                return "ok " + new String(answer.getData(), 0, answer.getLength(), StandardCharsets.UTF_8).strip();
            }
        });
    }

    /** An HTTP server in {@code netns} answering every request with the client's address. */
    static HttpServer serveClientIp(String netns, int port) throws Exception {
        HttpServer server = NetnsThread.run(netns, () -> HttpServer.create(new InetSocketAddress(port), 16));
        server.createContext("/", ex -> {
            try (ex) {
                byte[] body = ex.getRemoteAddress().getAddress().getHostAddress().getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });
        server.start();
        return server;
    }

    private interface Probe {
        String call() throws IOException;
    }

    private static String inNetns(String netns, Probe probe) {
        try {
            return NetnsThread.run(netns, () -> {
                try {
                    return probe.call();
                } catch (PortUnreachableException e) {
                    return "refused";
                } catch (SocketTimeoutException e) {
                    return "timeout";
                } catch (NoRouteToHostException e) {
                    return "unreachable";
                } catch (ConnectException e) {
                    String m = String.valueOf(e.getMessage());
                    return m.contains("refused") ? "refused" : m.contains("unreachable") ? "unreachable" : "error " + m;
                } catch (SocketException e) {
                    String m = String.valueOf(e.getMessage());
                    return m.contains("reset") ? "reset" : m.contains("unreachable") ? "unreachable" : "error " + m;
                }
            });
        } catch (Exception e) {
            throw new AssertionError("probe in " + netns + " failed to run", e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
