package dev.knet.control.alloc;

import dev.knet.control.config.ClusterConfig;
import dev.knet.control.runtime.Keys;
import dev.knet.model.ObjectKey;
import dev.knet.model.ResourceKinds;
import dev.knet.model.net.Cidr;
import dev.knet.model.net.IpAddresses;
import dev.knet.store.AdmissionPlugin;
import dev.knet.store.ApiException;
import dev.knet.store.FieldError;
import dev.knet.store.StoreView;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Gives Services of type ClusterIP, NodePort and LoadBalancer a clusterIP from the service range,
 * inside the store's write transaction. The 10th address is kept for the cluster DNS Service
 * (kube-system/kube-dns). A requested address is honoured unless another Service holds it or it
 * lies outside the range. Headless Services (clusterIP None) and ExternalName Services get none.
 *
 * <p>The index of who holds which address is a hint, built from the view on first use and updated
 * by every admitted write. A write may still be rejected after admission, so an index entry is
 * trusted only after the view confirms its holder still has the address; entries are never removed
 * on delete for the same reason (a rejected delete must not free an address). Every Service that
 * reaches the view passes through here, so the index has no false "free".
 */
public final class ClusterIpAllocator implements AdmissionPlugin {

    public static final String DNS_NAMESPACE = "kube-system";
    public static final String DNS_NAME = "kube-dns";

    private final Cidr range;
    private final long dnsIndex;
    private final long first;
    private final long last;
    private Map<Long, String> holders;
    private long cursor;

    public ClusterIpAllocator(ClusterConfig config) {
        this.range = config.serviceCidr();
        this.dnsIndex = 10;
        this.first = 1;
        this.last = range.size() - 2;
        this.cursor = 11;
    }

    @Override
    public void admit(Operation operation, HasMetadata object, HasMetadata old, StoreView view) {
        if (!(object instanceof Service svc) || (operation != Operation.CREATE && operation != Operation.UPDATE)) {
            return;
        }
        if (holders == null) {
            rebuild(view);
        }
        ServiceSpec spec = svc.getSpec();
        if (spec == null) {
            spec = new ServiceSpec();
            svc.setSpec(spec);
        }
        String type = spec.getType() == null ? "ClusterIP" : spec.getType();
        if (spec.getType() == null) {
            spec.setType("ClusterIP");
        }
        String key = key(svc);
        if ("ExternalName".equals(type)) {
            spec.setClusterIP(null);
            spec.setClusterIPs(new ArrayList<>());
            return;
        }
        String wanted = spec.getClusterIP();
        if ((wanted == null || wanted.isEmpty()) && spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty()) {
            wanted = spec.getClusterIPs().getFirst();
        }
        if ((wanted == null || wanted.isEmpty()) && old instanceof Service was && was.getSpec() != null) {
            wanted = was.getSpec().getClusterIP(); // an update that leaves clusterIP empty keeps the old one
        }
        if ("None".equals(wanted)) {
            setIp(spec, "None");
            return;
        }
        if (wanted == null || wanted.isEmpty()) {
            setIp(spec, allocate(key, view));
            return;
        }
        if (old instanceof Service was && was.getSpec() != null && wanted.equals(was.getSpec().getClusterIP())) {
            setIp(spec, wanted);
            return;
        }
        byte[] bytes;
        try {
            bytes = IpAddresses.parse(wanted);
        } catch (IllegalArgumentException e) {
            throw invalid(svc, wanted, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
        }
        if (!range.contains(bytes) || range.indexOf(bytes) < first || range.indexOf(bytes) > last) {
            throw invalid(svc, wanted, "provided IP is not in the valid range. The range of valid IPs is " + range);
        }
        long index = range.indexOf(bytes);
        if (index == dnsIndex && !isDns(svc)) {
            throw invalid(svc, wanted, "provided IP is reserved for the cluster DNS Service "
                    + DNS_NAMESPACE + "/" + DNS_NAME);
        }
        String holder = holder(index, view);
        if (holder != null && !holder.equals(key)) {
            throw invalid(svc, wanted, "provided IP is already allocated");
        }
        holders.put(index, key);
        setIp(spec, wanted);
    }

    private static void setIp(ServiceSpec spec, String ip) {
        spec.setClusterIP(ip);
        spec.setClusterIPs(new ArrayList<>(List.of(ip)));
    }

    private String allocate(String key, StoreView view) {
        long span = last - first + 1;
        for (long n = 0; n < span; n++) {
            long index = first + Math.floorMod(cursor - first + n, span);
            if (index == dnsIndex && !key.equals(DNS_NAMESPACE + "/" + DNS_NAME)) {
                continue;
            }
            if (holder(index, view) == null) {
                holders.put(index, key);
                cursor = index + 1;
                return range.addressStringAt(index);
            }
        }
        throw new ApiException.Invalid(new ObjectKey("Service", Keys.namespace(key), Keys.name(key)),
                List.of(FieldError.invalid("spec.clusterIP", "", "no free address left in " + range)));
    }

    /** Who holds an address, confirmed against the view; stale index entries are dropped. */
    private String holder(long index, StoreView view) {
        String key = holders.get(index);
        if (key == null) {
            return null;
        }
        Service s = view.get(ResourceKinds.SERVICE, Keys.namespace(key), Keys.name(key)).orElse(null);
        if (s != null && s.getSpec() != null && Objects.equals(s.getSpec().getClusterIP(), range.addressStringAt(index))) {
            return key;
        }
        holders.remove(index);
        return null;
    }

    private void rebuild(StoreView view) {
        holders = new HashMap<>();
        for (Service s : view.all(ResourceKinds.SERVICE)) {
            String ip = s.getSpec() == null ? null : s.getSpec().getClusterIP();
            if (ip != null && IpAddresses.isValid(ip) && range.contains(ip)) {
                holders.put(range.indexOf(IpAddresses.parse(ip)), key(s));
            }
        }
    }

    private static boolean isDns(Service svc) {
        return DNS_NAMESPACE.equals(svc.getMetadata().getNamespace()) && DNS_NAME.equals(svc.getMetadata().getName());
    }

    private static String key(Service svc) {
        return Keys.of(svc.getMetadata().getNamespace(), svc.getMetadata().getName());
    }

    private static ApiException.Invalid invalid(Service svc, String value, String reason) {
        return new ApiException.Invalid(ObjectKey.of(svc), List.of(FieldError.invalid("spec.clusterIP", value, reason)));
    }
}
