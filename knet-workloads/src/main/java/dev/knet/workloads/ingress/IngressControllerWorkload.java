package dev.knet.workloads.ingress;

import dev.knet.proxy.controller.IngressController;
import dev.knet.proxy.controller.IngressControllerException;
import dev.knet.workloads.Workload;
import dev.knet.workloads.WorkloadException;
import dev.knet.workloads.pod.PodContext;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The ingress controller pod, as ingress-nginx runs in its namespace: knet's L7 proxy listening in
 * the pod, its routes fed by watches of the API server named by KNET_API_URL. As with cluster DNS,
 * the watches run outside the pod (the API is on the host's loopback); the listeners and their
 * event loops live in the pod's namespace.
 */
public final class IngressControllerWorkload implements Workload {

    public static final String API_URL_ENV = "KNET_API_URL";

    private final Map<String, String> env;
    private final IngressControllerArgs args;
    private final CompletableFuture<Integer> termination = new CompletableFuture<>();
    private IngressController controller;

    public IngressControllerWorkload(List<String> args, Map<String, String> env) {
        this.args = IngressControllerArgs.parse(args);
        this.env = Map.copyOf(env);
    }

    @Override
    public String description() {
        return "knet ingress controller (class " + args.ingressClass() + ") on :" + args.httpPort() + " and :"
                + args.httpsPort();
    }

    @Override
    public void start(PodContext ctx) throws WorkloadException {
        String api = env.get(API_URL_ENV);
        if (api == null || api.isBlank()) {
            throw new WorkloadException("the ingress controller container needs " + API_URL_ENV
                    + " (the API server's URL)");
        }
        try {
            controller = IngressController.builder(api)
                    .http(new InetSocketAddress(ctx.listenAddress(), args.httpPort()))
                    .https(new InetSocketAddress(ctx.listenAddress(), args.httpsPort()))
                    .ingressClassName(args.ingressClass())
                    .listenerScope(ctx.sockets()::inNetns)
                    .threads(1)
                    .start();
        } catch (IngressControllerException e) {
            throw new WorkloadException("the ingress controller did not start: " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<Integer> termination() {
        return termination;
    }

    @Override
    public synchronized void stop() {
        if (controller != null) {
            controller.close();
            controller = null;
        }
        termination.complete(0);
    }
}
