package dev.knet.bench.ingress;

import dev.knet.model.Manifests;
import dev.knet.proxy.route.RouteOptions;
import dev.knet.proxy.route.RouteTable;
import dev.knet.proxy.server.IngressProxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * knet's side of the ingress benchmark: IngressProxy serving one Ingress (host bench.knet.test,
 * Prefix "/", Service default/echo:80) whose single endpoint is the benchmark backend, until
 * killed. Prints one line {@code READY ip:port} once it listens.
 * Usage: {@code IngressProxyBench LISTEN_IP:PORT BACKEND_IP:PORT [THREADS]}.
 */
public final class IngressProxyBench {

    static final String HOST = "bench.knet.test";

    private static final String INGRESS = """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: bench, namespace: default}
            spec:
              rules:
              - host: %s
                http:
                  paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: echo, port: {number: 80}}}}
            """.formatted(HOST);

    private IngressProxyBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: IngressProxyBench LISTEN_IP:PORT BACKEND_IP:PORT [THREADS]");
            System.exit(2);
        }
        InetSocketAddress listen = address(args[0]);
        List<InetSocketAddress> backend = List.of(address(args[1]));
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        RouteTable table = RouteTable.compile(Manifests.parse(INGRESS, "bench-ingress"), RouteOptions.defaults());
        CountDownLatch stopped = new CountDownLatch(1);
        try (IngressProxy proxy = IngressProxy.builder().listen(listen).threads(threads)
                // the one Service of the table; answered from memory like the real resolver
                .endpoints(service -> backend)
                .build().start()) {
            proxy.updateRoutes(table, List.of());
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "bench-ingress-shutdown"));
            System.out.printf("READY %s:%d%n", proxy.httpAddress().getAddress().getHostAddress(),
                    proxy.httpAddress().getPort());
            System.out.flush();
            stopped.await();
        }
    }

    private static InetSocketAddress address(String text) {
        int colon = text.lastIndexOf(':');
        return new InetSocketAddress(InetAddress.ofLiteral(text.substring(0, colon)),
                Integer.parseInt(text.substring(colon + 1)));
    }
}
