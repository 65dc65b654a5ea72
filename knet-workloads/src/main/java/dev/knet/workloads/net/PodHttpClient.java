package dev.knet.workloads.net;

import dev.knet.workloads.pod.PodResolver;
import dev.knet.workloads.pod.PodSockets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small blocking HTTP/1.1 client whose connections start inside the pod (one request per
 * connection). It blocks, so callers run it off the event loop.
 */
public final class PodHttpClient {

    private final PodSockets sockets;
    private final PodResolver resolver;

    public PodHttpClient(PodSockets sockets, PodResolver resolver) {
        this.sockets = Objects.requireNonNull(sockets, "sockets");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** GET http://host:port{@code pathAndQuery}; a non-2xx status is a result, not an exception. */
    public HttpResult get(String host, int port, String pathAndQuery, Map<String, String> headers, Duration timeout)
            throws IOException {
        List<InetSocketAddress> addresses = resolver.resolve(host, port);
        IOException last = null;
        for (InetSocketAddress address : addresses) {
            Socket socket;
            try {
                socket = sockets.connectTcp(address, timeout);
            } catch (IOException e) {
                last = e;
                continue;
            }
            try (socket) {
                socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
                return exchange(socket, host, port, pathAndQuery, headers);
            }
        }
        throw Objects.requireNonNull(last);
    }

    private static HttpResult exchange(Socket socket, String host, int port, String pathAndQuery,
                                       Map<String, String> headers) throws IOException {
        StringBuilder request = new StringBuilder()
                .append("GET ").append(pathAndQuery.startsWith("/") ? pathAndQuery : "/" + pathAndQuery)
                .append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port)
                .append("\r\nConnection: close\r\nAccept: */*\r\n");
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        request.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return parse(socket.getInputStream().readAllBytes());
    }

    static HttpResult parse(byte[] raw) throws IOException {
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int headerEnd = all.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            throw new IOException("malformed HTTP response (" + raw.length + " bytes, no header end)");
        }
        String[] lines = all.substring(0, headerEnd).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            throw new IOException("malformed HTTP status line: " + lines[0]);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(), lines[i].substring(colon + 1).strip());
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, headerEnd + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        } else if (headers.containsKey("content-length")) {
            int length = Integer.parseInt(headers.get("content-length"));
            body = java.util.Arrays.copyOf(body, Math.min(length, body.length));
        }
        return new HttpResult(Integer.parseInt(statusLine[1]), new String(body, StandardCharsets.UTF_8), headers);
    }

    private static byte[] dechunk(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = new java.io.ByteArrayInputStream(body);
        while (true) {
            StringBuilder sizeLine = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    sizeLine.append((char) c);
                }
            }
            String hex = sizeLine.toString().split(";")[0].strip();
            if (hex.isEmpty()) {
                throw new IOException("malformed chunked body");
            }
            int size = Integer.parseInt(hex, 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(size));
            in.readNBytes(2);
        }
    }
}
