package dev.knet.cli.lab;

import dev.knet.dataplane.forward.Dialer;
import dev.knet.dataplane.forward.HostPortForward;
import dev.knet.lab.IngressAddon;
import dev.knet.model.ResourceKinds;
import dev.knet.store.ApiStore;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * kind-style port mapping for the lab: 127.0.0.1:PORT on the host is relayed, from inside the lab's
 * external host, to port 80 of the ingress add-on's LoadBalancer IP, so {@code curl
 * http://127.0.0.1:8080/productpage} goes through the underlay, the LoadBalancer and the ingress pods
 * like a client outside the cluster. The host gains one loopback listening socket, nothing else.
 */
final class IngressHostPort implements AutoCloseable {

    /** The system property `knet up --port` sets for the daemon; 0 turns the forward off. */
    static final String PORT_PROPERTY = "knet.ingress.port";
    static final int DEFAULT_PORT = 8080;

    private static final Logger LOG = LoggerFactory.getLogger(IngressHostPort.class);
    private static final Duration WAIT_FOR_IP = Duration.ofMinutes(2);

    private final Thread starter;
    private volatile HostPortForward forward;
    private volatile boolean closed;

    private IngressHostPort(ApiStore store, int port, String externalNetns) {
        this.starter = Thread.ofVirtual().name("knet-ingress-port").start(() -> open(store, port, externalNetns));
    }

    /** Starts the forward once the LoadBalancer has its IP; returns at once. */
    static IngressHostPort start(ApiStore store, int port, String externalNetns) {
        return new IngressHostPort(store, port, externalNetns);
    }

    static int configuredPort() {
        return Integer.getInteger(PORT_PROPERTY, DEFAULT_PORT);
    }

    private void open(ApiStore store, int port, String externalNetns) {
        Instant deadline = Instant.now().plus(WAIT_FOR_IP);
        Optional<String> ip = Optional.empty();
        while (!closed && ip.isEmpty() && Instant.now().isBefore(deadline)) {
            ip = store.get(ResourceKinds.SERVICE, IngressAddon.NAMESPACE, IngressAddon.SERVICE)
                    .flatMap(IngressHostPort::loadBalancerIp);
            if (ip.isEmpty()) {
                try {
                    Thread.sleep(200); // the LoadBalancer allocator runs within moments of the apply
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
        if (ip.isEmpty()) {
            LOG.warn("the ingress LoadBalancer got no IP; 127.0.0.1:{} is not forwarded", port);
            return;
        }
        InetSocketAddress target = new InetSocketAddress(ip.get(), 80);
        try {
            forward = HostPortForward.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), target,
                    Dialer.fromNamespace(externalNetns));
            LOG.info("ingress: http://127.0.0.1:{}/ -> {} (from the lab's external host)", port, target);
            if (closed) {
                forward.close();
            }
        } catch (IOException e) {
            LOG.warn("ingress port not forwarded: {} (choose another with knet up --port)", e.getMessage());
        }
    }

    private static Optional<String> loadBalancerIp(Service service) {
        if (service.getStatus() == null || service.getStatus().getLoadBalancer() == null
                || service.getStatus().getLoadBalancer().getIngress() == null) {
            return Optional.empty();
        }
        return service.getStatus().getLoadBalancer().getIngress().stream()
                .map(LoadBalancerIngress::getIp).filter(ip -> ip != null && !ip.isBlank()).findFirst();
    }

    @Override
    public void close() {
        closed = true;
        starter.interrupt();
        HostPortForward open = forward;
        if (open != null) {
            open.close();
        }
    }
}
