package dev.knet.policy.matrix;

import dev.knet.model.KnetJson;
import dev.knet.model.net.Cidr;
import dev.knet.model.net.IpAddresses;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gives manifests without runtime state deterministic addresses: pods without status.podIP get
 * 10.244.0.0/16 addresses in namespace/name order, Services without a ClusterIP get 10.96.0.0/16
 * addresses, skipping every address already in use. Returns copies; the input is not modified.
 */
final class AddressAssigner {

    private static final Cidr POD_CIDR = Cidr.parse("10.244.0.0/16");
    private static final Cidr SERVICE_CIDR = Cidr.parse("10.96.0.0/16");

    private AddressAssigner() {
    }

    static List<HasMetadata> assign(List<? extends HasMetadata> objects) {
        Set<String> used = new HashSet<>();
        for (HasMetadata o : objects) {
            if (o instanceof Pod pod && pod.getStatus() != null && pod.getStatus().getPodIP() != null) {
                used.add(pod.getStatus().getPodIP());
            } else if (o instanceof Service s && s.getSpec() != null && s.getSpec().getClusterIP() != null) {
                used.add(s.getSpec().getClusterIP());
            }
        }
        List<HasMetadata> out = new ArrayList<>(objects);
        Comparator<HasMetadata> byKey = Comparator.comparing((HasMetadata o) -> String.valueOf(o.getMetadata().getNamespace()))
                .thenComparing(o -> o.getMetadata().getName());
        long[] next = {1, 10};
        out.stream().filter(o -> o instanceof Pod p && (p.getStatus() == null || blank(p.getStatus().getPodIP())))
                .sorted(byKey).toList().forEach(o -> {
                    Pod copy = KnetJson.copy((Pod) o);
                    if (copy.getStatus() == null) {
                        copy.setStatus(new PodStatus());
                    }
                    copy.getStatus().setPodIP(nextFree(POD_CIDR, next, 0, used));
                    out.set(out.indexOf(o), copy);
                });
        out.stream().filter(o -> o instanceof Service s && s.getSpec() != null && blank(s.getSpec().getClusterIP()))
                .sorted(byKey).toList().forEach(o -> {
                    Service copy = KnetJson.copy((Service) o);
                    copy.getSpec().setClusterIP(nextFree(SERVICE_CIDR, next, 1, used));
                    out.set(out.indexOf(o), copy);
                });
        return out;
    }

    private static String nextFree(Cidr cidr, long[] next, int slot, Set<String> used) {
        while (true) {
            long index = next[slot]++;
            if (index >= cidr.size() - 1) {
                throw new IllegalStateException("no free address left in " + cidr);
            }
            String ip = IpAddresses.format(cidr.addressAt(index));
            // skip .0 and .255 so every address looks like a host address
            if (ip.endsWith(".0") || ip.endsWith(".255") || !used.add(ip)) {
                continue;
            }
            return ip;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
