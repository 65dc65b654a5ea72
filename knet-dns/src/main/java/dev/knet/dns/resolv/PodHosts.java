package dev.knet.dns.resolv;

import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;

import java.util.LinkedHashSet;
import java.util.Set;

/** A pod's hostname and the /etc/hosts file the kubelet writes for it. */
public final class PodHosts {

    private PodHosts() {
    }

    /** spec.hostname, else the pod name (cut to 63); a hostNetwork pod keeps the node's hostname. */
    public static String hostname(Pod pod, String nodeHostname) {
        var spec = pod.getSpec();
        if (spec != null && Boolean.TRUE.equals(spec.getHostNetwork())) {
            return nodeHostname;
        }
        String name = spec != null && spec.getHostname() != null && !spec.getHostname().isBlank()
                ? spec.getHostname() : pod.getMetadata().getName();
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    /**
     * The kubelet-managed hosts file: loopback entries, then each pod IP with the pod's FQDN
     * (hostname.subdomain.ns.svc.zone when a subdomain is set) and hostname, then hostAliases.
     * A hostNetwork pod gets the node's file instead, passed in as {@code nodeHosts}.
     */
    public static String etcHosts(Pod pod, String zone, String nodeHosts) {
        var spec = pod.getSpec();
        if (spec != null && Boolean.TRUE.equals(spec.getHostNetwork())) {
            return nodeHosts;
        }
        StringBuilder sb = new StringBuilder("# Kubernetes-managed hosts file.\n")
                .append("127.0.0.1\tlocalhost\n")
                .append("::1\tlocalhost ip6-localhost ip6-loopback\n")
                .append("fe00::0\tip6-localnet\n")
                .append("fe00::0\tip6-mcastprefix\n")
                .append("fe00::1\tip6-allnodes\n")
                .append("fe00::2\tip6-allrouters\n");
        String hostname = hostname(pod, null);
        String subdomain = spec == null ? null : spec.getSubdomain();
        String names = subdomain == null || subdomain.isBlank() ? hostname
                : hostname + "." + subdomain + "." + pod.getMetadata().getNamespace() + ".svc." + zone + "\t" + hostname;
        for (String ip : podIps(pod)) {
            sb.append(ip).append('\t').append(names).append('\n');
        }
        if (spec != null && spec.getHostAliases() != null && !spec.getHostAliases().isEmpty()) {
            sb.append("\n# Entries added by HostAliases.\n");
            for (HostAlias alias : spec.getHostAliases()) {
                sb.append(alias.getIp()).append('\t').append(String.join("\t", alias.getHostnames())).append('\n');
            }
        }
        return sb.toString();
    }

    private static Set<String> podIps(Pod pod) {
        Set<String> ips = new LinkedHashSet<>();
        if (pod.getStatus() != null) {
            if (pod.getStatus().getPodIP() != null) {
                ips.add(pod.getStatus().getPodIP());
            }
            if (pod.getStatus().getPodIPs() != null) {
                for (PodIP ip : pod.getStatus().getPodIPs()) {
                    ips.add(ip.getIp());
                }
            }
        }
        return ips;
    }
}
