package dev.knet.store.validation;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.SessionAffinityConfig;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Service spec rules of Kubernetes' ValidateService and ValidateServiceUpdate. */
public final class ServiceValidator {

    public static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    public static final List<String> AFFINITIES = List.of("ClientIP", "None");
    public static final List<String> TRAFFIC_POLICIES = List.of("Cluster", "Local");
    public static final List<String> IP_FAMILIES = List.of("IPv4", "IPv6");
    public static final List<String> IP_FAMILY_POLICIES = List.of("PreferDualStack", "RequireDualStack", "SingleStack");
    /** The longest ClientIP affinity Kubernetes allows: one day. */
    public static final int MAX_AFFINITY_SECONDS = 86400;

    private static final FieldPath SPEC = FieldPath.of("spec");

    private ServiceValidator() {
    }

    public static void validate(Service service, FieldErrors errs) {
        // One DNS label, which may start with a digit: RelaxedServiceNameValidation (KEP-5311), beta and on by
        // default since Kubernetes 1.36; the e2e DNS test resolves a Service named 1kubernetes.
        MetadataValidator.validate(service.getMetadata(), NameRule.DNS1123_LABEL, true, errs);
        ServiceSpec spec = service.getSpec();
        if (spec == null) {
            errs.required(SPEC);
            return;
        }
        String type = spec.getType() == null ? "" : spec.getType();
        String clusterIP = spec.getClusterIP() == null ? "" : spec.getClusterIP();
        boolean headless = "None".equals(clusterIP);
        List<ServicePort> ports = spec.getPorts() == null ? List.of() : spec.getPorts();
        if (ports.isEmpty() && !headless && !"ExternalName".equals(type)) {
            errs.required(SPEC.child("ports"));
        }
        if (type.isEmpty()) {
            errs.required(SPEC.child("type"));
        } else if (!TYPES.contains(type)) {
            errs.notSupported(SPEC.child("type"), type, TYPES);
        }
        switch (type) {
            case "ExternalName" -> externalName(spec, errs);
            case "NodePort", "LoadBalancer" -> {
                if (headless) {
                    errs.invalid(SPEC.child("clusterIP"), clusterIP, "may not be set to 'None' for " + type + " services");
                }
            }
            default -> {
            }
        }
        if (!"ExternalName".equals(type)) {
            clusterIPs(spec, clusterIP, errs);
        }
        ServicePortValidator.validate(ports, type, SPEC.child("ports"), errs);
        SelectorValidator.validateMap(spec.getSelector(), SPEC.child("selector"), errs);
        sessionAffinity(spec, errs);
        trafficPolicies(spec, type, errs);
        List<String> externalIPs = spec.getExternalIPs() == null ? List.of() : spec.getExternalIPs();
        for (int i = 0; i < externalIPs.size(); i++) {
            if (!Names.isIp(externalIPs.get(i))) {
                errs.invalid(SPEC.child("externalIPs").index(i), externalIPs.get(i), Names.IP_MSG);
            }
        }
    }

    /** On update the assigned clusterIP stays; an empty one in the new object means "keep it". */
    public static void validateUpdate(Service service, Service old, FieldErrors errs) {
        String was = old.getSpec() == null ? null : old.getSpec().getClusterIP();
        String now = service.getSpec() == null ? null : service.getSpec().getClusterIP();
        String oldType = old.getSpec() == null ? null : old.getSpec().getType();
        String newType = service.getSpec() == null ? null : service.getSpec().getType();
        if (was == null || was.isEmpty() || now == null || now.isEmpty()
                || "ExternalName".equals(oldType) || "ExternalName".equals(newType)) {
            return;
        }
        if (!was.equals(now)) {
            errs.invalid(SPEC.child("clusterIP"), now, "field is immutable");
        }
    }

    private static void externalName(ServiceSpec spec, FieldErrors errs) {
        if (spec.getClusterIP() != null && !spec.getClusterIP().isEmpty()) {
            errs.forbidden(SPEC.child("clusterIP"), "may not be set for ExternalName services");
        }
        if (spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty()) {
            errs.forbidden(SPEC.child("clusterIPs"), "may not be set for ExternalName services");
        }
        if (spec.getIpFamilies() != null && !spec.getIpFamilies().isEmpty()) {
            errs.forbidden(SPEC.child("ipFamilies"), "may not be set for ExternalName services");
        }
        if (spec.getIpFamilyPolicy() != null) {
            errs.forbidden(SPEC.child("ipFamilyPolicy"), "may not be set for ExternalName services");
        }
        // A trailing dot marks the name fully qualified; it is not part of the subdomain rule.
        String cname = spec.getExternalName() == null ? "" : spec.getExternalName().replaceFirst("\\.$", "");
        if (cname.isEmpty()) {
            errs.required(SPEC.child("externalName"));
        } else {
            errs.invalidEach(SPEC.child("externalName"), cname, Names.dns1123Subdomain(cname));
        }
    }

    private static void clusterIPs(ServiceSpec spec, String clusterIP, FieldErrors errs) {
        if (!clusterIP.isEmpty() && !"None".equals(clusterIP) && !Names.isIp(clusterIP)) {
            errs.invalid(SPEC.child("clusterIP"), clusterIP, Names.IP_MSG);
        }
        List<String> ips = spec.getClusterIPs() == null ? List.of() : spec.getClusterIPs();
        if (!ips.isEmpty() && !clusterIP.isEmpty() && !ips.getFirst().equals(clusterIP)) {
            errs.invalid(SPEC.child("clusterIPs"), FieldErrors.goList(ips), "first value must match `clusterIP`");
        }
        for (int i = 0; i < ips.size(); i++) {
            String ip = ips.get(i);
            if (i == 0 && "None".equals(ip)) {
                if (ips.size() > 1) {
                    errs.invalid(SPEC.child("clusterIPs"), FieldErrors.goList(ips), "'None' must be the first and only value");
                }
            } else if (!Names.isIp(ip) && !(i == 0 && ip.equals(clusterIP))) {
                // clusterIPs[0] mirrors clusterIP, whose error is already reported.
                errs.invalid(SPEC.child("clusterIPs").index(i), ip, Names.IP_MSG);
            }
        }
        List<String> families = spec.getIpFamilies() == null ? List.of() : spec.getIpFamilies();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < families.size(); i++) {
            FieldPath p = SPEC.child("ipFamilies").index(i);
            if (!IP_FAMILIES.contains(families.get(i))) {
                errs.notSupported(p, families.get(i), IP_FAMILIES);
            }
            if (!seen.add(families.get(i))) {
                errs.duplicate(p, families.get(i));
            }
        }
        if (spec.getIpFamilyPolicy() != null && !IP_FAMILY_POLICIES.contains(spec.getIpFamilyPolicy())) {
            errs.notSupported(SPEC.child("ipFamilyPolicy"), spec.getIpFamilyPolicy(), IP_FAMILY_POLICIES);
        }
    }

    private static void sessionAffinity(ServiceSpec spec, FieldErrors errs) {
        String affinity = spec.getSessionAffinity() == null ? "" : spec.getSessionAffinity();
        FieldPath configPath = SPEC.child("sessionAffinityConfig");
        if (affinity.isEmpty()) {
            errs.required(SPEC.child("sessionAffinity"));
        } else if (!AFFINITIES.contains(affinity)) {
            errs.notSupported(SPEC.child("sessionAffinity"), affinity, AFFINITIES);
        }
        SessionAffinityConfig config = spec.getSessionAffinityConfig();
        if ("ClientIP".equals(affinity)) {
            String when = "when session affinity type is ClientIP";
            if (config == null) {
                errs.required(configPath, when);
            } else if (config.getClientIP() == null) {
                errs.required(configPath.child("clientIP"), when);
            } else if (config.getClientIP().getTimeoutSeconds() == null) {
                errs.required(configPath.child("clientIP").child("timeoutSeconds"), when);
            } else {
                int timeout = config.getClientIP().getTimeoutSeconds();
                if (timeout <= 0 || timeout > MAX_AFFINITY_SECONDS) {
                    errs.invalid(configPath.child("clientIP").child("timeoutSeconds"), timeout,
                            "must be greater than 0 and less than " + MAX_AFFINITY_SECONDS);
                }
            }
        } else if ("None".equals(affinity) && config != null) {
            errs.forbidden(configPath, "must not be set when session affinity is None");
        }
    }

    private static void trafficPolicies(ServiceSpec spec, String type, FieldErrors errs) {
        String external = spec.getExternalTrafficPolicy() == null ? "" : spec.getExternalTrafficPolicy();
        FieldPath externalPath = SPEC.child("externalTrafficPolicy");
        if (!externallyAccessible(spec, type)) {
            if (!external.isEmpty()) {
                errs.invalid(externalPath, external, "may only be set for externally-accessible services");
            }
        } else if (external.isEmpty()) {
            errs.required(externalPath);
        } else if (!TRAFFIC_POLICIES.contains(external)) {
            errs.notSupported(externalPath, external, TRAFFIC_POLICIES);
        }
        int healthCheck = spec.getHealthCheckNodePort() == null ? 0 : spec.getHealthCheckNodePort();
        if (healthCheck != 0 && !("LoadBalancer".equals(type) && "Local".equals(external))) {
            errs.invalid(SPEC.child("healthCheckNodePort"), healthCheck,
                    "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
        }
        String internal = spec.getInternalTrafficPolicy();
        if (internal == null) {
            if (!"ExternalName".equals(type)) {
                errs.required(SPEC.child("internalTrafficPolicy"));
            }
        } else if (!TRAFFIC_POLICIES.contains(internal)) {
            errs.notSupported(SPEC.child("internalTrafficPolicy"), internal, TRAFFIC_POLICIES);
        }
    }

    /** NodePort and LoadBalancer Services, and ClusterIP ones with externalIPs, take outside traffic. */
    static boolean externallyAccessible(ServiceSpec spec, String type) {
        return "NodePort".equals(type) || "LoadBalancer".equals(type)
                || ("ClusterIP".equals(type) && spec.getExternalIPs() != null && !spec.getExternalIPs().isEmpty());
    }
}
