package dev.knet.dns.resolv;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A resolv.conf, and how the kubelet writes one for a pod from its dnsPolicy and dnsConfig.
 */
public record ResolvConf(List<String> nameservers, List<String> searches, List<String> options) {

    /** Kubelet limits: 3 nameservers (glibc's MAXNS), 32 search domains, 2048 characters of search list. */
    public static final int MAX_NAMESERVERS = 3;
    public static final int MAX_SEARCHES = 32;
    public static final int MAX_SEARCH_CHARS = 2048;

    public ResolvConf {
        nameservers = List.copyOf(nameservers);
        searches = List.copyOf(searches);
        options = List.copyOf(options);
    }

    public static ResolvConf empty() {
        return new ResolvConf(List.of(), List.of(), List.of());
    }

    /** Reads nameserver, search/domain and options lines; later search or domain lines win, as in glibc. */
    public static ResolvConf parse(String text) {
        List<String> nameservers = new ArrayList<>();
        List<String> searches = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            String[] f = line.split("\\s+");
            switch (f[0]) {
                case "nameserver" -> {
                    if (f.length > 1) {
                        nameservers.add(f[1]);
                    }
                }
                case "search", "domain" -> {
                    searches.clear();
                    searches.addAll(List.of(f).subList(1, f.length));
                }
                case "options" -> options.addAll(List.of(f).subList(1, f.length));
                default -> { }
            }
        }
        return new ResolvConf(nameservers, searches, options);
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        for (String ns : nameservers) {
            sb.append("nameserver ").append(ns).append('\n');
        }
        if (!searches.isEmpty()) {
            sb.append("search ").append(String.join(" ", searches)).append('\n');
        }
        if (!options.isEmpty()) {
            sb.append("options ").append(String.join(" ", options)).append('\n');
        }
        return sb.toString();
    }

    /**
     * The resolv.conf the kubelet gives a pod. ClusterFirst: the cluster DNS, the pod's namespace
     * search path then the node's, ndots:5 (a hostNetwork pod falls back to Default; use
     * ClusterFirstWithHostNet for the cluster DNS there). Default: the node's file. None: only
     * dnsConfig. dnsConfig is merged last: nameservers and searches appended without duplicates,
     * options overriding by name.
     */
    public static ResolvConf forPod(Pod pod, String clusterDnsIp, String zone, ResolvConf nodeResolvConf) {
        var spec = pod.getSpec();
        String policy = spec == null || spec.getDnsPolicy() == null ? "ClusterFirst" : spec.getDnsPolicy();
        boolean hostNetwork = spec != null && Boolean.TRUE.equals(spec.getHostNetwork());
        if ("ClusterFirst".equals(policy) && hostNetwork) {
            policy = "Default";
        }
        if (policy.startsWith("ClusterFirst") && (clusterDnsIp == null || clusterDnsIp.isBlank())) {
            policy = "Default"; // the kubelet does the same when it has no cluster DNS configured
        }
        ResolvConf base = switch (policy) {
            case "ClusterFirst", "ClusterFirstWithHostNet" -> clusterFirst(pod, clusterDnsIp, zone, nodeResolvConf);
            case "Default" -> nodeResolvConf;
            case "None" -> empty();
            default -> throw new IllegalArgumentException("unknown dnsPolicy \"" + policy + "\"");
        };
        PodDNSConfig dnsConfig = spec == null ? null : spec.getDnsConfig();
        ResolvConf merged = dnsConfig == null ? base : base.merge(dnsConfig);
        return merged.withinLimits();
    }

    private static ResolvConf clusterFirst(Pod pod, String clusterDnsIp, String zone, ResolvConf node) {
        String ns = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
        List<String> searches = new ArrayList<>(List.of(ns + ".svc." + zone, "svc." + zone, zone));
        searches.addAll(node.searches());
        return new ResolvConf(List.of(clusterDnsIp), searches, List.of("ndots:5"));
    }

    ResolvConf merge(PodDNSConfig config) {
        LinkedHashSet<String> servers = new LinkedHashSet<>(nameservers);
        if (config.getNameservers() != null) {
            servers.addAll(config.getNameservers());
        }
        LinkedHashSet<String> search = new LinkedHashSet<>(searches);
        if (config.getSearches() != null) {
            search.addAll(config.getSearches());
        }
        Map<String, String> opts = new LinkedHashMap<>();
        for (String option : options) {
            int colon = option.indexOf(':');
            opts.put(colon < 0 ? option : option.substring(0, colon), colon < 0 ? null : option.substring(colon + 1));
        }
        if (config.getOptions() != null) {
            for (PodDNSConfigOption option : config.getOptions()) {
                opts.put(option.getName(), option.getValue());
            }
        }
        List<String> options = new ArrayList<>();
        opts.forEach((name, value) -> options.add(value == null || value.isEmpty() ? name : name + ":" + value));
        return new ResolvConf(List.copyOf(servers), List.copyOf(search), options);
    }

    /**
     * Trailing dots are dropped and a lone "." (the root, which resolvers try anyway) is left
     * out; then the kubelet's limits apply, dropping what does not fit.
     */
    ResolvConf withinLimits() {
        List<String> search = new ArrayList<>();
        int chars = 0;
        for (String s : new LinkedHashSet<>(searches.stream()
                .map(x -> x.endsWith(".") ? x.substring(0, x.length() - 1) : x).filter(x -> !x.isEmpty()).toList())) {
            if (search.size() == MAX_SEARCHES || chars + s.length() + (search.isEmpty() ? 0 : 1) > MAX_SEARCH_CHARS) {
                break;
            }
            chars += s.length() + (search.isEmpty() ? 0 : 1);
            search.add(s);
        }
        List<String> servers = nameservers.size() > MAX_NAMESERVERS ? nameservers.subList(0, MAX_NAMESERVERS) : nameservers;
        return new ResolvConf(servers, search, options);
    }
}
