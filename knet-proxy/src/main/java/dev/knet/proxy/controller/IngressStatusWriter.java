package dev.knet.proxy.controller;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.List;

/**
 * Publishes the controller's address in status.loadBalancer.ingress of each Ingress it serves,
 * as ingress-nginx does with --publish-service. Writes only when the status differs, so the update
 * event of its own write finds nothing to do. A conflict (the Ingress changed meanwhile) is left
 * to the rebuild that change triggers.
 */
final class IngressStatusWriter {

    private static final Logger LOG = LoggerFactory.getLogger(IngressStatusWriter.class);

    private final KubernetesClient client;
    private final List<IngressLoadBalancerIngress> published;

    /** address: an IP literal or a host name. */
    IngressStatusWriter(KubernetesClient client, String address) {
        this.client = client;
        IngressLoadBalancerIngressBuilder entry = new IngressLoadBalancerIngressBuilder();
        if (isIpLiteral(address)) {
            entry.withIp(address);
        } else {
            entry.withHostname(address);
        }
        this.published = List.of(entry.build());
    }

    /** Returns how many Ingresses were written. */
    int publish(List<Ingress> served) {
        int written = 0;
        for (Ingress ingress : served) {
            if (published.equals(current(ingress))) {
                continue;
            }
            Ingress next = new IngressBuilder(ingress).editOrNewStatus().editOrNewLoadBalancer()
                    .withIngress(published).endLoadBalancer().endStatus().build();
            try {
                client.network().v1().ingresses().inNamespace(ServiceEndpoints.namespace(ingress.getMetadata().getNamespace()))
                        .resource(next).updateStatus();
                written++;
            } catch (KubernetesClientException e) {
                LOG.debug("status of Ingress {}/{} not written ({}); the next sync retries",
                        ingress.getMetadata().getNamespace(), ingress.getMetadata().getName(), e.getMessage());
            }
        }
        return written;
    }

    private static List<IngressLoadBalancerIngress> current(Ingress ingress) {
        if (ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null
                || ingress.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        return ingress.getStatus().getLoadBalancer().getIngress();
    }

    private static boolean isIpLiteral(String address) {
        try {
            InetAddress.ofLiteral(address);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
