package dev.knet.proxy.route;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.List;

/**
 * The ReferenceGrants (gateway.networking.k8s.io v1 and v1beta1) that let an HTTPRoute in one
 * namespace send traffic to a Service in another.
 */
public final class ReferenceGrants {

    private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

    /** In namespace, HTTPRoutes from fromNamespace may reach Service serviceName (empty: any). */
    private record Grant(String namespace, String fromNamespace, String serviceName) {
    }

    private final List<Grant> grants;

    private ReferenceGrants(List<Grant> grants) {
        this.grants = List.copyOf(grants);
    }

    public static ReferenceGrants none() {
        return new ReferenceGrants(List.of());
    }

    public static ReferenceGrants of(List<? extends HasMetadata> objects) {
        List<Grant> grants = new ArrayList<>();
        for (HasMetadata o : objects) {
            switch (o) {
                case io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant g when g.getSpec() != null ->
                        add(grants, GatewayCompiler.namespace(g),
                                IngressCompiler.nullSafe(g.getSpec().getFrom()).stream()
                                        .map(f -> new String[] {f.getGroup(), f.getKind(), f.getNamespace()}).toList(),
                                IngressCompiler.nullSafe(g.getSpec().getTo()).stream()
                                        .map(t -> new String[] {t.getGroup(), t.getKind(), t.getName()}).toList());
                case io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant g when g.getSpec() != null ->
                        add(grants, GatewayCompiler.namespace(g),
                                IngressCompiler.nullSafe(g.getSpec().getFrom()).stream()
                                        .map(f -> new String[] {f.getGroup(), f.getKind(), f.getNamespace()}).toList(),
                                IngressCompiler.nullSafe(g.getSpec().getTo()).stream()
                                        .map(t -> new String[] {t.getGroup(), t.getKind(), t.getName()}).toList());
                default -> {
                    // not a grant
                }
            }
        }
        return new ReferenceGrants(grants);
    }

    /** from: {group, kind, namespace}; to: {group, kind, name}. */
    private static void add(List<Grant> into, String namespace, List<String[]> from, List<String[]> to) {
        for (String[] f : from) {
            if (!GATEWAY_GROUP.equals(f[0]) || !"HTTPRoute".equals(f[1])) {
                continue;
            }
            for (String[] t : to) {
                boolean coreService = (t[0] == null || t[0].isEmpty()) && "Service".equals(t[1]);
                if (coreService) {
                    into.add(new Grant(namespace, f[2], t[2] == null ? "" : t[2]));
                }
            }
        }
    }

    public boolean allows(String routeNamespace, String serviceNamespace, String serviceName) {
        if (routeNamespace.equals(serviceNamespace)) {
            return true;
        }
        return grants.stream().anyMatch(g -> g.namespace().equals(serviceNamespace)
                && g.fromNamespace().equals(routeNamespace)
                && (g.serviceName().isEmpty() || g.serviceName().equals(serviceName)));
    }
}
