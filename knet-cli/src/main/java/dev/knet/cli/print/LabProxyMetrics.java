package dev.knet.cli.print;

import dev.knet.dataplane.netns.NetnsNames;
import dev.knet.dataplane.netns.NetnsThread;
import dev.knet.lab.LabNames;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Scrapes a lab node's Service proxy metrics. The agent serves them on port 10249 inside the node's namespace,
 * which the host cannot route to; so the socket is opened from a thread inside that namespace (setns, like
 * the agent's own listener) and talks to the node's loopback. Read-only: one GET, nothing configured.
 */
public final class LabProxyMetrics {

    /** The agent's metrics port (kube-proxy's), see the agent's MetricsServer. */
    static final int PORT = 10249;
    private static final int TIMEOUT_MILLIS = 2000;

    private final LabNames names;

    public LabProxyMetrics(String cluster) {
        this.names = new LabNames(cluster);
    }

    /** The node proxy's sync state, or empty when it cannot be read (not root, no agent, no namespace). */
    public Optional<ProxySync> read(String nodeName) {
        String netns = names.node(nodeName);
        if (!NetnsNames.isKnet(netns) || !Files.exists(Path.of(NetnsNames.path(netns)))) {
            return Optional.empty();
        }
        try {
            String body = NetnsThread.run(netns, LabProxyMetrics::scrape);
            return Optional.of(ProxySync.parse(body));
        } catch (Exception | LinkageError e) {
            return Optional.empty();
        }
    }

    /** HTTP/1.0 by hand: the socket must be opened on this thread, which an HttpClient would not guarantee. */
    private static String scrape() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", PORT), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write("GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            try (InputStream in = socket.getInputStream()) {
                in.transferTo(response);
            }
            String text = response.toString(StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.") || !text.split("\r\n", 2)[0].contains(" 200")) {
                throw new IOException("metrics answered: " + text.lines().findFirst().orElse(""));
            }
            int body = text.indexOf("\r\n\r\n");
            return body < 0 ? "" : text.substring(body + 4);
        }
    }
}
