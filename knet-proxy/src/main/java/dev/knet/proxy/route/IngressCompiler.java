package dev.knet.proxy.route;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Compiles networking.k8s.io/v1 Ingresses into an IngressRouter and TLS bindings.
 * pathType ImplementationSpecific (also the value when pathType is unset) is matched as Prefix.
 */
public final class IngressCompiler {

    private IngressCompiler() {
    }

    public record Compiled(IngressRouter router, List<CertificateBinding> certificates) {
    }

    public static Compiled compile(List<Ingress> ingresses, List<IngressClass> classes, String controller) {
        IngressClassSelector selector = new IngressClassSelector(controller, classes);
        List<Ingress> served = ingresses.stream()
                .filter(i -> i.getSpec() != null && selector.serves(i))
                .sorted(Comparator.comparing(IngressCompiler::creation).thenComparing(IngressCompiler::key))
                .toList();
        List<IngressRouter.Rule> rules = new ArrayList<>();
        List<CertificateBinding> certificates = new ArrayList<>();
        Optional<IngressRouter.DefaultBackend> defaultBackend = Optional.empty();
        for (Ingress ingress : served) {
            String namespace = namespace(ingress);
            String route = "ingress/" + key(ingress);
            if (defaultBackend.isEmpty() && ingress.getSpec().getDefaultBackend() != null) {
                defaultBackend = Optional.of(new IngressRouter.DefaultBackend(
                        backend(namespace, ingress.getSpec().getDefaultBackend()), route));
            }
            for (IngressRule rule : nullSafe(ingress.getSpec().getRules())) {
                if (rule.getHttp() == null) {
                    continue;
                }
                HostPattern host = HostPattern.of(rule.getHost());
                for (HTTPIngressPath path : nullSafe(rule.getHttp().getPaths())) {
                    rules.add(new IngressRouter.Rule(host, pathMatch(path), backend(namespace, path.getBackend()), route));
                }
            }
            for (IngressTLS tls : nullSafe(ingress.getSpec().getTls())) {
                if (tls.getSecretName() == null) {
                    continue;
                }
                List<String> hosts = nullSafe(tls.getHosts());
                if (hosts.isEmpty()) {
                    certificates.add(new CertificateBinding(HostPattern.ANY, namespace, tls.getSecretName()));
                }
                hosts.forEach(h -> certificates.add(new CertificateBinding(HostPattern.of(h), namespace, tls.getSecretName())));
            }
        }
        return new Compiled(new IngressRouter(rules, defaultBackend), certificates);
    }

    static PathMatch pathMatch(HTTPIngressPath path) {
        String value = path.getPath() == null || path.getPath().isEmpty() ? "/" : path.getPath();
        String type = path.getPathType() == null ? "ImplementationSpecific" : path.getPathType();
        return switch (type) {
            case "Exact" -> new PathMatch.Exact(value);
            // ImplementationSpecific: knet's class matches it as Prefix
            default -> new PathMatch.Prefix(value);
        };
    }

    static Optional<ServiceBackend> backend(String namespace, IngressBackend backend) {
        if (backend == null || backend.getService() == null) {
            return Optional.empty();
        }
        IngressServiceBackend service = backend.getService();
        PortRef port = service.getPort() == null ? new PortRef.Number(80)
                : service.getPort().getNumber() != null && service.getPort().getNumber() > 0
                ? new PortRef.Number(service.getPort().getNumber())
                : new PortRef.Named(service.getPort().getName());
        return Optional.of(new ServiceBackend(namespace, service.getName(), port));
    }

    static String namespace(Ingress ingress) {
        String ns = ingress.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? "default" : ns;
    }

    private static String key(Ingress ingress) {
        return namespace(ingress) + "/" + ingress.getMetadata().getName();
    }

    private static String creation(Ingress ingress) {
        String ts = ingress.getMetadata().getCreationTimestamp();
        return ts == null ? "" : ts;
    }

    static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
