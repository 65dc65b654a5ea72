package dev.knet.store.validation;

import io.fabric8.kubernetes.api.model.TypedLocalObjectReference;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;

import java.util.List;

/** Ingress (networking.k8s.io/v1): hosts, paths and their required pathType, backends, TLS. */
public final class IngressValidator {

    public static final List<String> PATH_TYPES = List.of("Exact", "ImplementationSpecific", "Prefix");
    /** Sequences that would let a path escape its prefix once normalised by a proxy. */
    private static final List<String> BAD_SEQUENCES = List.of("//", "/./", "/../", "%2f", "%2F");
    private static final List<String> BAD_SUFFIXES = List.of("/..", "/.");
    private static final FieldPath SPEC = FieldPath.of("spec");

    private IngressValidator() {
    }

    public static void validate(Ingress ingress, FieldErrors errs) {
        MetadataValidator.validate(ingress.getMetadata(), NameRule.DNS1123_SUBDOMAIN, true, errs);
        IngressSpec spec = ingress.getSpec();
        if (spec == null) {
            errs.required(SPEC);
            return;
        }
        List<IngressRule> rules = spec.getRules() == null ? List.of() : spec.getRules();
        if (spec.getDefaultBackend() != null) {
            backend(spec.getDefaultBackend(), SPEC.child("defaultBackend"), errs);
        } else if (rules.isEmpty()) {
            errs.add(new dev.knet.store.FieldError(SPEC.child("rules").text(), null,
                    "Invalid value: null: either `defaultBackend` or `rules` must be specified"));
        }
        for (int i = 0; i < rules.size(); i++) {
            rule(rules.get(i), SPEC.child("rules").index(i), errs);
        }
        List<IngressTLS> tls = spec.getTls() == null ? List.of() : spec.getTls();
        for (int i = 0; i < tls.size(); i++) {
            FieldPath t = SPEC.child("tls").index(i);
            List<String> hosts = tls.get(i).getHosts() == null ? List.of() : tls.get(i).getHosts();
            for (int h = 0; h < hosts.size(); h++) {
                String host = hosts.get(h);
                errs.invalidEach(t.child("hosts").index(h), host,
                        host.contains("*") ? Names.wildcardDns1123Subdomain(host) : Names.dns1123Subdomain(host));
            }
            String secret = tls.get(i).getSecretName();
            if (secret != null && !secret.isEmpty()) {
                errs.invalidEach(t.child("secretName"), secret, Names.dns1123Subdomain(secret));
            }
        }
        String className = spec.getIngressClassName();
        if (className != null) {
            errs.invalidEach(SPEC.child("ingressClassName"), className, Names.dns1123Subdomain(className));
        }
    }

    private static void rule(IngressRule rule, FieldPath path, FieldErrors errs) {
        String host = rule.getHost() == null ? "" : rule.getHost();
        if (!host.isEmpty()) {
            if (Names.isIp(host)) {
                errs.invalid(path.child("host"), host, "must be a DNS name, not an IP address");
            }
            errs.invalidEach(path.child("host"), host,
                    host.contains("*") ? Names.wildcardDns1123Subdomain(host) : Names.dns1123Subdomain(host));
        }
        if (rule.getHttp() == null) {
            return;
        }
        FieldPath http = path.child("http");
        List<HTTPIngressPath> paths = rule.getHttp().getPaths() == null ? List.of() : rule.getHttp().getPaths();
        if (paths.isEmpty()) {
            errs.required(http.child("paths"));
        }
        for (int i = 0; i < paths.size(); i++) {
            path(paths.get(i), http.child("paths").index(i), errs);
        }
    }

    private static void path(HTTPIngressPath p, FieldPath path, FieldErrors errs) {
        String type = p.getPathType();
        String value = p.getPath() == null ? "" : p.getPath();
        if (type == null) {
            // v1 dropped the default: an Ingress without pathType is refused, not guessed.
            errs.required(path.child("pathType"), "pathType must be specified");
            return;
        }
        switch (type) {
            case "Exact", "Prefix" -> {
                if (!value.startsWith("/")) {
                    errs.invalid(path.child("path"), value, "must be an absolute path");
                }
                if (!value.isEmpty()) {
                    for (String bad : BAD_SEQUENCES) {
                        if (value.contains(bad)) {
                            errs.invalid(path.child("path"), value, "must not contain '" + bad + "'");
                        }
                    }
                    for (String bad : BAD_SUFFIXES) {
                        if (value.endsWith(bad)) {
                            errs.invalid(path.child("path"), value, "cannot end with '" + bad + "'");
                        }
                    }
                }
            }
            case "ImplementationSpecific" -> {
                if (!value.isEmpty() && !value.startsWith("/")) {
                    errs.invalid(path.child("path"), value, "must be an absolute path");
                }
            }
            default -> errs.notSupported(path.child("pathType"), type, PATH_TYPES);
        }
        if (p.getBackend() == null) {
            errs.invalid(path.child("backend"), "", "resource or service backend is required");
        } else {
            backend(p.getBackend(), path.child("backend"), errs);
        }
    }

    private static void backend(IngressBackend backend, FieldPath path, FieldErrors errs) {
        IngressServiceBackend service = backend.getService();
        TypedLocalObjectReference resource = backend.getResource();
        if (service != null && resource != null) {
            errs.invalid(path, "", "cannot set both resource and service backends");
        } else if (resource != null) {
            resource(resource, path.child("resource"), errs);
        } else if (service != null) {
            String name = service.getName() == null ? "" : service.getName();
            if (name.isEmpty()) {
                errs.required(path.child("service").child("name"));
            } else {
                // a Service name, validated as Services now are (RelaxedServiceNameValidation)
                errs.invalidEach(path.child("service").child("name"), name, Names.dns1123Label(name));
            }
            String portName = service.getPort() == null || service.getPort().getName() == null
                    ? "" : service.getPort().getName();
            int portNumber = service.getPort() == null || service.getPort().getNumber() == null
                    ? 0 : service.getPort().getNumber();
            FieldPath port = path.child("service").child("port");
            if (!portName.isEmpty() && portNumber != 0) {
                errs.invalid(path, "", "cannot set both port name & port number");
            } else if (!portName.isEmpty()) {
                errs.invalidEach(port.child("name"), portName, Names.portName(portName));
            } else if (portNumber != 0) {
                errs.invalidEach(port.child("number"), portNumber, Names.portNumber(portNumber));
            } else {
                errs.required(path, "port name or number is required");
            }
        } else {
            errs.invalid(path, "", "resource or service backend is required");
        }
    }

    private static void resource(TypedLocalObjectReference ref, FieldPath path, FieldErrors errs) {
        if (ref.getApiGroup() != null) {
            errs.invalidEach(path.child("apiGroup"), ref.getApiGroup(), Names.dns1123Subdomain(ref.getApiGroup()));
        }
        if (ref.getKind() == null || ref.getKind().isEmpty()) {
            errs.required(path.child("kind"), "kind is required");
        } else {
            errs.invalidEach(path.child("kind"), ref.getKind(), Names.pathSegmentName(ref.getKind()));
        }
        if (ref.getName() == null || ref.getName().isEmpty()) {
            errs.required(path.child("name"), "name is required");
        } else {
            errs.invalidEach(path.child("name"), ref.getName(), Names.pathSegmentName(ref.getName()));
        }
    }
}
