package dev.knet.bench.dns;

import dev.knet.api.ApiServer;
import dev.knet.api.ControlPlaneHooks;
import dev.knet.dns.index.ClusterDnsIndex;
import dev.knet.dns.index.RecordData;
import dev.knet.dns.index.RecordTypes;
import dev.knet.dns.index.ZoneSettings;
import dev.knet.dns.server.DnsServer;
import dev.knet.dns.wire.QueryEncoder;
import dev.knet.dns.wire.UpstreamAnswers;
import dev.knet.store.DefaultApiStore;
import dev.knet.store.Mutation;
import dev.knet.workloads.dns.ClusterDnsFeed;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Store-to-DNS freshness: an in-memory store feeds the DNS index, a DnsServer answers on loopback;
 * each round creates a Service with an explicit clusterIP and measures from the store write
 * returning until a UDP query for its name answers NOERROR with that address (queries repeat with
 * a 2 ms timeout). Background Services make the zone realistically large. Two feeds, one after the
 * other in the same run: the store's own watch ({@link StoreDnsFeed}), and the lab's path, where
 * knet's API server serves the store and the cluster DNS pod's {@link ClusterDnsFeed} lists and
 * watches it over HTTP with fabric8 informers.
 * Usage: {@code DnsFreshnessBench [ROUNDS=200] [BACKGROUND_SERVICES=1000]}.
 */
public final class DnsFreshnessBench {

    private static final String NAMESPACE = "fresh";
    private static final int WARMUP_ROUNDS = 30;
    private static final long GIVE_UP_NANOS = 30_000_000_000L;
    private static final double GOAL_MS = 100;

    private DnsFreshnessBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int background = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        System.out.println("feed: the store's watch, in process");
        measure(rounds, background, false);
        System.out.println("feed: knet's API server over HTTP, fabric8 informers (the cluster DNS pod's path)");
        measure(rounds, background, true);
    }

    private static void measure(int rounds, int background, boolean overHttp) throws Exception {
        try (DefaultApiStore store = DefaultApiStore.builder().build();
             ApiServer api = overHttp ? ApiServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     store, ControlPlaneHooks.NONE) : null) {
            seed(store, background);
            var index = new ClusterDnsIndex(ZoneSettings.defaults());
            try (AutoCloseable feed = overHttp ? ClusterDnsFeed.start(api.url(), index) : StoreDnsFeed.start(store, index);
                 DnsServer server = DnsServer.builder().zone(index::snapshot)
                         .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).threads(1).build().start();
                 DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                socket.connect(server.address());
                socket.setSoTimeout(2);
                System.out.printf("zone: %d names (%d background Services); %d warm-up rounds, then %d measured%n",
                        index.snapshot().nameCount(), background, WARMUP_ROUNDS, rounds);
                double[] millis = new double[rounds];
                int queries = 0;
                for (int i = 0; i < WARMUP_ROUNDS + rounds; i++) {
                    String ip = "10.97." + (i >> 8 & 0xff) + "." + (i & 0xff);
                    String name = "fresh-" + i;
                    store.create(BenchZone.service(NAMESPACE, name, ip));
                    long written = System.nanoTime();
                    int sent = awaitAnswer(socket, name + "." + NAMESPACE + ".svc." + index.settings().zone(), ip, written);
                    long elapsed = System.nanoTime() - written;
                    if (feed instanceof StoreDnsFeed storeFeed && storeFeed.failure() != null) {
                        throw new IllegalStateException("store watch ended", storeFeed.failure());
                    }
                    if (i >= WARMUP_ROUNDS) {
                        millis[i - WARMUP_ROUNDS] = elapsed / 1e6;
                        queries += sent;
                    }
                }
                report(millis, queries);
                rebuildCost(index, rounds);
            }
        }
    }

    private static void seed(DefaultApiStore store, int background) {
        int namespaces = 10;
        List<Mutation> batch = new ArrayList<>();
        batch.add(new Mutation.Create(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()));
        for (int n = 0; n < namespaces; n++) {
            batch.add(new Mutation.Create(new NamespaceBuilder().withNewMetadata().withName("ns-" + n).endMetadata().build()));
        }
        store.commit(batch);
        batch.clear();
        for (var s : BenchZone.generate(background, 0, 0, namespaces).clusterIp()) {
            batch.add(new Mutation.Create(BenchZone.service(s.namespace(), s.name(), s.ip())));
            if (batch.size() == 200) {
                store.commit(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.commit(batch);
        }
    }

    /** Queries until the answer carries the address; returns how many queries it took. */
    private static int awaitAnswer(DatagramSocket socket, String name, String ip, long since) throws IOException {
        byte[] buffer = new byte[1500];
        int id = 0;
        while (System.nanoTime() - since < GIVE_UP_NANOS) {
            id = (id + 1) & 0xffff;
            byte[] query = QueryEncoder.encode(id, name, RecordTypes.A, 1232);
            socket.send(new DatagramPacket(query, query.length));
            try {
                while (true) { // skip late replies to earlier tries
                    var reply = new DatagramPacket(buffer, buffer.length);
                    socket.receive(reply);
                    if (reply.getLength() >= 12 && ((buffer[0] & 0xff) << 8 | buffer[1] & 0xff) == id) {
                        if (answers(Arrays.copyOf(buffer, reply.getLength()), ip)) {
                            return id;
                        }
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                // no reply within 2 ms: ask again
            }
        }
        throw new IllegalStateException(name + " did not resolve to " + ip + " within 30 s");
    }

    /** knet's own share of the delay: one index change (a full zone rebuild) at this zone size. */
    private static void rebuildCost(ClusterDnsIndex index, int changes) {
        double[] millis = new double[changes];
        for (int i = 0; i < changes; i++) {
            long start = System.nanoTime();
            index.upsert(BenchZone.service(NAMESPACE, "rebuild-probe", "10.98.0." + (i % 250 + 1)));
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        System.out.printf("index change (zone rebuild, no store, no network) over %d changes: p50 %.2f ms, p99 %.2f ms%n",
                changes, millis[changes / 2], millis[(int) Math.ceil(changes * 0.99) - 1]);
    }

    private static boolean answers(byte[] reply, String ip) {
        return UpstreamAnswers.read(reply)
                .filter(r -> r.rcode() == 0)
                .map(r -> r.answers().stream().anyMatch(rr -> rr.data() instanceof RecordData.A a
                        && a.address().getHostAddress().equals(ip)))
                .orElse(false);
    }

    private static void report(double[] millis, int queries) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        double p50 = sorted[(int) Math.ceil(sorted.length * 0.50) - 1];
        double p99 = sorted[(int) Math.ceil(sorted.length * 0.99) - 1];
        double max = sorted[sorted.length - 1];
        System.out.printf("store write -> DNS answer over %d Services: p50 %.2f ms, p99 %.2f ms, max %.2f ms"
                + " (%.1f queries per Service)%n", sorted.length, p50, p99, max, (double) queries / sorted.length);
        System.out.printf("goal p99 <= %.0f ms: %s%n", GOAL_MS, p99 <= GOAL_MS ? "met" : "NOT met");
    }
}
