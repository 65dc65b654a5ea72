package dev.knet.cli.light;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 GET over a plain socket to a loopback URL. Not java.net.http: its client starts a selector
 * thread and loads a few hundred classes, a large share of a short command's time. Handles what the
 * daemon's server sends (a Content-Length body, or a body up to the close); anything else is an error.
 */
public final class LoopbackGet {

    /** The status, the one header the protocol uses (null if absent), and the body as UTF-8 text. */
    public record Reply(int status, String output, String body) {
    }

    private static final int CONNECT_TIMEOUT_MS = 2_000;
    /** As long as the full CLI waits for a request. */
    private static final int READ_TIMEOUT_MS = 120_000;

    private LoopbackGet() {
    }

    /** GET http://HOST:PORT/PATH?QUERY; HOST must be a loopback address literal or localhost. */
    public static Reply get(String url, String query) throws IOException {
        if (!url.startsWith("http://")) {
            throw new IOException("not an http URL: " + url);
        }
        int slash = url.indexOf('/', 7);
        String authority = slash < 0 ? url.substring(7) : url.substring(7, slash);
        String path = slash < 0 ? "/" : url.substring(slash);
        int colon = authority.lastIndexOf(':');
        if (colon < 0) {
            throw new IOException("no port in " + url);
        }
        String host = authority.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(authority.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IOException("bad port in " + url, e);
        }
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("[::1]")) {
            throw new IOException("not a loopback URL: " + url);
        }
        // A channel's socket rather than new Socket(): that one goes through the SOCKS and proxy-selector
        // machinery, dozens of classes for a loopback connection; the channel's keeps the timeouts.
        try (SocketChannel channel = SocketChannel.open()) {
            Socket socket = channel.socket();
            socket.connect(new InetSocketAddress(host.equals("[::1]") ? "::1" : host, port), CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            StringBuilder request = new StringBuilder(128).append("GET ").append(path);
            if (query != null) {
                request.append('?').append(query);
            }
            request.append(" HTTP/1.1\r\nHost: ").append(authority)
                    .append("\r\nAccept: text/plain\r\nConnection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /** Parses a response: status line, headers, then the body by Content-Length or up to the close. */
    static Reply read(InputStream in) throws IOException {
        byte[] all = readHead(in);
        String head = new String(all, StandardCharsets.ISO_8859_1);
        int end = head.indexOf("\r\n\r\n");
        // split('\n') takes String's fast path; a two-character separator would compile a regex
        String[] lines = head.substring(0, end).split("\n");
        for (int k = 0; k < lines.length; k++) {
            lines[k] = lines[k].strip();
        }
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + lines[0]);
        }
        int code;
        try {
            code = Integer.parseInt(status[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad status line: " + lines[0], e);
        }
        long length = -1;
        String output = null;
        for (int k = 1; k < lines.length; k++) {
            int colon = lines[k].indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = lines[k].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[k].substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("bad Content-Length: " + value, e);
                    }
                }
                case "transfer-encoding" -> throw new IOException("unexpected Transfer-Encoding: " + value);
                case "knet-output" -> output = value;
                default -> {
                }
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(all, end + 4, all.length - end - 4);
        byte[] buf = new byte[16384];
        while (length < 0 || body.size() < length) {
            int n = in.read(buf);
            if (n < 0) {
                if (length >= 0) {
                    throw new IOException("the body ended after " + body.size() + " of " + length + " bytes");
                }
                break;
            }
            body.write(buf, 0, n);
        }
        byte[] bytes = body.toByteArray();
        int size = length < 0 ? bytes.length : (int) Math.min(length, bytes.length);
        return new Reply(code, output, new String(bytes, 0, size, StandardCharsets.UTF_8));
    }

    /** Reads until the end of the headers; returns everything read so far (head and the body's start). */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream(4096);
        byte[] buf = new byte[16384];
        while (true) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("the connection closed before the response headers ended");
            }
            seen.write(buf, 0, n);
            byte[] all = seen.toByteArray();
            for (int k = Math.max(0, all.length - n - 3); k + 3 < all.length; k++) {
                if (all[k] == '\r' && all[k + 1] == '\n' && all[k + 2] == '\r' && all[k + 3] == '\n') {
                    return all;
                }
            }
            if (all.length > 65536) {
                throw new IOException("response headers over 64 KiB");
            }
        }
    }
}
