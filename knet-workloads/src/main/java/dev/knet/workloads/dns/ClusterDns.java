package dev.knet.workloads.dns;

import dev.knet.dns.index.ClusterDnsIndex;
import dev.knet.dns.index.ZoneSettings;
import dev.knet.dns.index.ZoneSnapshot;
import dev.knet.dns.server.DnsServer;
import dev.knet.workloads.Workload;
import dev.knet.workloads.WorkloadException;
import dev.knet.workloads.pod.PodContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The cluster DNS pod, as CoreDNS runs in kube-system: knet's DNS server on port 53 in the pod,
 * fed by list/watch of Services, EndpointSlices, Pods and Namespaces from the API server named by
 * KNET_API_URL. The watches run outside the pod (they reach the API on the host's loopback); only
 * the server's sockets live in the pod's namespace.
 */
public final class ClusterDns implements Workload {

    public static final String API_URL_ENV = "KNET_API_URL";

    private final Map<String, String> env;
    private final CompletableFuture<Integer> termination = new CompletableFuture<>();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private KubernetesClient client;
    private DnsServer server;

    public ClusterDns(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public String description() {
        return "cluster DNS (knet) for cluster.local, fed from " + env.getOrDefault(API_URL_ENV, "<no API>");
    }

    @Override
    public void start(PodContext ctx) throws WorkloadException {
        String api = env.get(API_URL_ENV);
        if (api == null || api.isBlank()) {
            throw new WorkloadException("the cluster DNS container needs " + API_URL_ENV + " (the API server's URL)");
        }
        ClusterDnsIndex index = new ClusterDnsIndex(ZoneSettings.defaults());
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(api)
                .withOnlyHttpWatches(true).build()).build();
        informers.add(client.namespaces().inform(feed(index)));
        informers.add(client.services().inAnyNamespace().inform(feed(index)));
        informers.add(client.discovery().v1().endpointSlices().inAnyNamespace().inform(feed(index)));
        informers.add(client.pods().inAnyNamespace().inform(feed(index)));
        try {
            server = serve(ctx, index::snapshot, List.of());
        } catch (WorkloadException e) {
            stop();
            throw e;
        }
    }

    /**
     * Starts knet's DNS server on port 53 of the pod's listen address, its sockets (and those it
     * uses to reach {@code upstreams}) created inside the pod's network namespace, answering from
     * {@code zone}. The cluster DNS pod feeds it from watches; tests may feed it any zone.
     */
    public static DnsServer serve(PodContext ctx, Supplier<ZoneSnapshot> zone, List<InetSocketAddress> upstreams)
            throws WorkloadException {
        try {
            return ctx.sockets().inNetns("dns server", () -> DnsServer.builder().zone(zone).upstreams(upstreams)
                    .listen(new InetSocketAddress(ctx.listenAddress(), 53)).threads(1).build().start());
        } catch (IOException e) {
            throw new WorkloadException("cannot serve DNS on port 53: " + e.getMessage(), e);
        }
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> feed(ClusterDnsIndex index) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                index.upsert(object);
            }

            @Override
            public void onUpdate(T old, T object) {
                index.upsert(object);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                index.remove(object);
            }
        };
    }

    @Override
    public CompletableFuture<Integer> termination() {
        return termination;
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.close();
        }
        informers.forEach(SharedIndexInformer::close);
        if (client != null) {
            client.close();
        }
        termination.complete(0);
    }
}
