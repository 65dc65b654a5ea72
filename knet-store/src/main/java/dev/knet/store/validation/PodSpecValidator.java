package dev.knet.store.validation;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.fabric8.kubernetes.api.model.PodSpec;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A pod spec, standalone or inside a workload's template: containers, policies, DNS and host names. */
public final class PodSpecValidator {

    /** Kubernetes' order in its messages, not sorted. */
    public static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
    public static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
    /** resolv.conf limits of glibc, which Kubernetes enforces. */
    public static final int MAX_NAMESERVERS = 3;
    public static final int MAX_SEARCHES = 32;
    public static final int MAX_SEARCH_CHARS = 2048;

    private PodSpecValidator() {
    }

    public static void validate(PodSpec spec, FieldPath path, FieldErrors errs) {
        if (spec == null) {
            errs.required(path);
            return;
        }
        List<Container> containers = spec.getContainers() == null ? List.of() : spec.getContainers();
        Set<String> names = new HashSet<>();
        if (containers.isEmpty()) {
            errs.required(path.child("containers"));
        }
        for (int i = 0; i < containers.size(); i++) {
            ContainerValidator.validate(containers.get(i), path.child("containers").index(i), names, errs);
        }
        List<Container> init = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
        for (int i = 0; i < init.size(); i++) {
            ContainerValidator.validate(init.get(i), path.child("initContainers").index(i), names, errs);
        }
        enumValue(spec.getRestartPolicy(), RESTART_POLICIES, path.child("restartPolicy"), errs);
        enumValue(spec.getDnsPolicy(), DNS_POLICIES, path.child("dnsPolicy"), errs);
        dnsConfig(spec.getDnsConfig(), spec.getDnsPolicy(), path.child("dnsConfig"), errs);
        if (spec.getHostname() != null && !spec.getHostname().isEmpty()) {
            errs.invalidEach(path.child("hostname"), spec.getHostname(), Names.dns1123Label(spec.getHostname()));
        }
        if (spec.getSubdomain() != null && !spec.getSubdomain().isEmpty()) {
            errs.invalidEach(path.child("subdomain"), spec.getSubdomain(), Names.dns1123Label(spec.getSubdomain()));
        }
        if (spec.getNodeName() != null && !spec.getNodeName().isEmpty()) {
            errs.invalidEach(path.child("nodeName"), spec.getNodeName(), Names.dns1123Subdomain(spec.getNodeName()));
        }
        SelectorValidator.validateMap(spec.getNodeSelector(), path.child("nodeSelector"), errs);
        ContainerValidator.nonNegative(spec.getTerminationGracePeriodSeconds(),
                path.child("terminationGracePeriodSeconds"), errs);
        if (spec.getActiveDeadlineSeconds() != null && spec.getActiveDeadlineSeconds() <= 0) {
            errs.invalid(path.child("activeDeadlineSeconds"), spec.getActiveDeadlineSeconds(),
                    Names.inclusiveRange(1, Integer.MAX_VALUE));
        }
    }

    /** A required enum: empty is "Required value", anything else outside the list "Unsupported value". */
    static void enumValue(String value, List<String> allowed, FieldPath path, FieldErrors errs) {
        if (value == null || value.isEmpty()) {
            errs.required(path);
        } else if (!allowed.contains(value)) {
            errs.notSupported(path, value, allowed);
        }
    }

    private static void dnsConfig(PodDNSConfig config, String policy, FieldPath path, FieldErrors errs) {
        if ("None".equals(policy)) {
            if (config == null) {
                errs.required(path, "must provide `dnsConfig` when `dnsPolicy` is None");
                return;
            }
            if (config.getNameservers() == null || config.getNameservers().isEmpty()) {
                errs.required(path.child("nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None");
                return;
            }
        }
        if (config == null) {
            return;
        }
        List<String> servers = config.getNameservers() == null ? List.of() : config.getNameservers();
        if (servers.size() > MAX_NAMESERVERS) {
            errs.invalid(path.child("nameservers"), FieldErrors.goList(servers),
                    "must not have more than " + MAX_NAMESERVERS + " nameservers");
        }
        for (int i = 0; i < servers.size(); i++) {
            if (!Names.isIp(servers.get(i))) {
                errs.invalid(path.child("nameservers").index(i), servers.get(i), Names.IP_MSG);
            }
        }
        List<String> searches = config.getSearches() == null ? List.of() : config.getSearches();
        if (searches.size() > MAX_SEARCHES) {
            errs.invalid(path.child("searches"), FieldErrors.goList(searches),
                    "must not have more than " + MAX_SEARCHES + " search paths");
        }
        if (String.join(" ", searches).length() > MAX_SEARCH_CHARS) {
            errs.invalid(path.child("searches"), FieldErrors.goList(searches),
                    "must not have more than " + MAX_SEARCH_CHARS + " characters (including spaces) in the search list");
        }
        for (int i = 0; i < searches.size(); i++) {
            // RelaxedDNSSearchValidation (KEP-4427, GA in Kubernetes 1.34): "." alone (no search at all) and
            // underscores (_sip._tcp.example.com) are allowed; a trailing dot (fully qualified) is fine.
            if (searches.get(i).equals(".")) {
                continue;
            }
            String s = searches.get(i).replaceFirst("\\.$", "");
            errs.invalidEach(path.child("searches").index(i), s, Names.dns1123SubdomainWithUnderscore(s));
        }
        List<PodDNSConfigOption> options = config.getOptions() == null ? List.of() : config.getOptions();
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i).getName() == null || options.get(i).getName().isEmpty()) {
                errs.required(path.child("options").index(i), "Option.Name must not be empty");
            }
        }
    }
}
