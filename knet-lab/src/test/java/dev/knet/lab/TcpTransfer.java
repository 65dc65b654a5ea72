package dev.knet.lab;

import dev.knet.dataplane.netns.NetnsThread;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A bulk TCP transfer between two namespaces with plain Java sockets: each socket is opened on a
 * thread switched into its namespace and stays there. The receiver counts what arrived and sends the
 * count back, so the sender knows every byte crossed.
 */
final class TcpTransfer {

    record Outcome(long received, long nanos) {
        double mbitPerSecond() {
            return received * 8.0 / 1e6 / (nanos / 1e9);
        }
    }

    private TcpTransfer() {
    }

    static Outcome send(String fromNetns, String toNetns, String toIp, int port, long bytes) throws Exception {
        try (ServerSocket server = NetnsThread.run(toNetns, () -> new ServerSocket(port, 1,
                java.net.InetAddress.getByName(toIp)))) {
            server.setSoTimeout(20_000);
            CompletableFuture<Long> counted = CompletableFuture.supplyAsync(() -> receive(server));
            long start = System.nanoTime();
            try (Socket client = NetnsThread.run(fromNetns, () -> {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(toIp, port), 5_000);
                return s;
            })) {
                client.setSoTimeout(20_000);
                OutputStream out = client.getOutputStream();
                byte[] chunk = new byte[256 * 1024];
                for (long left = bytes; left > 0; left -= chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, left));
                }
                client.shutdownOutput();
                long ack = new DataInputStream(client.getInputStream()).readLong();
                long nanos = System.nanoTime() - start;
                counted.get(20, TimeUnit.SECONDS);
                return new Outcome(ack, nanos);
            }
        }
    }

    private static long receive(ServerSocket server) {
        try (Socket s = server.accept()) {
            s.setSoTimeout(20_000);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256 * 1024];
            long total = 0;
            for (int n; (n = in.read(buf)) >= 0; ) {
                total += n;
            }
            new DataOutputStream(s.getOutputStream()).writeLong(total);
            return total;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
