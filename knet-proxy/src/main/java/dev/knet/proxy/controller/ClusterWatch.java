package dev.knet.proxy.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The informers of the ingress controller: one per kind it reads, each telling the sync loop
 * which half of its state went stale (routes or endpoints). Handlers only mark and return, so the
 * informers' threads never wait on a rebuild. Kinds whose API group the server does not serve
 * (ReferenceGrant on a server without the Gateway API's experimental kinds) are left out with a
 * warning instead of failing the controller.
 */
final class ClusterWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);
    static final String TLS_SECRET_TYPE = "kubernetes.io/tls";

    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    final SharedIndexInformer<Ingress> ingresses;
    final SharedIndexInformer<IngressClass> ingressClasses;
    final SharedIndexInformer<Gateway> gateways;
    final SharedIndexInformer<GatewayClass> gatewayClasses;
    final SharedIndexInformer<HTTPRoute> httpRoutes;
    final SharedIndexInformer<ReferenceGrant> referenceGrants;
    final SharedIndexInformer<Secret> secrets;
    final SharedIndexInformer<Service> services;
    final SharedIndexInformer<EndpointSlice> endpointSlices;

    /** Lists and watches every kind; returns once each has listed (blocking, as fabric8's inform does). */
    ClusterWatch(KubernetesClient client, RouteSync sync) {
        Runnable routes = sync::routesChanged;
        Runnable endpoints = sync::endpointsChanged;
        try {
            ingresses = add(client.network().v1().ingresses().inAnyNamespace().inform(on(routes, o -> true)));
            ingressClasses = add(client.network().v1().ingressClasses().inform(on(routes, o -> true)));
            secrets = add(client.secrets().inAnyNamespace().inform(
                    on(routes, s -> TLS_SECRET_TYPE.equals(((Secret) s).getType()))));
            services = add(client.services().inAnyNamespace().inform(on(endpoints, o -> true)));
            endpointSlices = add(client.discovery().v1().endpointSlices().inAnyNamespace().inform(on(endpoints, o -> true)));
            gateways = optional(client, Gateway.class, routes);
            gatewayClasses = optional(client, GatewayClass.class, routes);
            httpRoutes = optional(client, HTTPRoute.class, routes);
            referenceGrants = optional(client, ReferenceGrant.class, routes);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private <T extends HasMetadata> SharedIndexInformer<T> optional(KubernetesClient client, Class<T> type, Runnable changed) {
        try {
            return add(client.resources(type).inAnyNamespace().inform(on(changed, o -> true)));
        } catch (KubernetesClientException e) {
            LOG.warn("not watching {}: the API server does not serve it ({})", type.getSimpleName(), e.getMessage());
            return null;
        }
    }

    private <T> SharedIndexInformer<T> add(SharedIndexInformer<T> informer) {
        informers.add(informer);
        return informer;
    }

    /** A handler that calls changed for every event on an object that passes relevant. */
    private static <T extends HasMetadata> ResourceEventHandler<T> on(Runnable changed, Predicate<HasMetadata> relevant) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                if (relevant.test(object)) {
                    changed.run();
                }
            }

            @Override
            public void onUpdate(T old, T object) {
                if (relevant.test(object) || relevant.test(old)) {
                    changed.run();
                }
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                if (relevant.test(object)) {
                    changed.run();
                }
            }
        };
    }

    static <T> List<T> list(SharedIndexInformer<T> informer) {
        return informer == null ? List.of() : informer.getStore().list();
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
    }
}
