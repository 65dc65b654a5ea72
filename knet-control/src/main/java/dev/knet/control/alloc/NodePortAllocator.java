package dev.knet.control.alloc;

import dev.knet.control.config.ClusterConfig;
import dev.knet.control.config.PortRange;
import dev.knet.control.runtime.Keys;
import dev.knet.model.ObjectKey;
import dev.knet.model.ResourceKinds;
import dev.knet.store.AdmissionPlugin;
import dev.knet.store.ApiException;
import dev.knet.store.FieldError;
import dev.knet.store.StoreView;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Gives NodePort and LoadBalancer Services their nodePorts (and a healthCheckNodePort for
 * LoadBalancers with externalTrafficPolicy Local) inside the store's write transaction. Requested
 * ports are honoured unless another Service holds them or they are out of range; an update that
 * leaves a port's nodePort empty keeps the one it had. Other types lose their nodePorts.
 * The index is a hint confirmed against the view, as in {@link ClusterIpAllocator}.
 */
public final class NodePortAllocator implements AdmissionPlugin {

    private final PortRange range;
    private Map<Integer, String> holders;
    private int cursor;

    public NodePortAllocator(ClusterConfig config) {
        this.range = config.nodePortRange();
        this.cursor = range.first();
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
            return;
        }
        String type = spec.getType() == null ? "ClusterIP" : spec.getType();
        boolean lb = "LoadBalancer".equals(type);
        boolean wantsNodePorts = "NodePort".equals(type) || (lb && !Boolean.FALSE.equals(spec.getAllocateLoadBalancerNodePorts()));
        ServiceSpec was = old instanceof Service o ? o.getSpec() : null;
        String key = Keys.of(svc.getMetadata().getNamespace(), svc.getMetadata().getName());
        List<FieldError> errors = new ArrayList<>();
        Set<Integer> mine = new HashSet<>();
        Set<String> used = new HashSet<>();
        List<ServicePort> ports = spec.getPorts() == null ? List.of() : spec.getPorts();
        for (int i = 0; i < ports.size(); i++) {
            ServicePort p = ports.get(i);
            if (!wantsNodePorts) {
                p.setNodePort(null);
                continue;
            }
            Integer n = p.getNodePort() == null || p.getNodePort() == 0 ? previous(p, was) : p.getNodePort();
            if (n == null) {
                continue;
            }
            String path = "spec.ports[" + i + "].nodePort";
            if (!used.add(n + "/" + protocol(p))) {
                errors.add(error(path, n, "duplicate nodePort"));
            } else if (!range.contains(n)) {
                errors.add(error(path, n, "provided port is not in the valid range. The range of valid ports is " + range));
            } else if (!mine.contains(n) && isHeldByOther(n, key, view)) {
                errors.add(error(path, n, "provided port is already allocated"));
            }
            p.setNodePort(n);
            mine.add(n);
        }
        boolean local = lb && "Local".equals(spec.getExternalTrafficPolicy());
        Integer hc = null;
        if (local) {
            hc = spec.getHealthCheckNodePort() != null && spec.getHealthCheckNodePort() != 0 ? spec.getHealthCheckNodePort()
                    : was == null ? null : was.getHealthCheckNodePort();
            if (hc != null) {
                if (!range.contains(hc)) {
                    errors.add(error("spec.healthCheckNodePort", hc,
                            "provided port is not in the valid range. The range of valid ports is " + range));
                } else if (mine.contains(hc) || isHeldByOther(hc, key, view)) {
                    errors.add(error("spec.healthCheckNodePort", hc, "provided port is already allocated"));
                }
                mine.add(hc);
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiException.Invalid(ObjectKey.of(svc), errors);
        }
        for (ServicePort p : ports) {
            if (wantsNodePorts && p.getNodePort() == null) {
                p.setNodePort(allocate(key, mine, view, svc));
                mine.add(p.getNodePort());
            }
        }
        if (local && hc == null) {
            hc = allocate(key, mine, view, svc);
        }
        spec.setHealthCheckNodePort(local ? hc : null);
        for (Integer port : mine) {
            holders.put(port, key);
        }
    }

    /** The nodePort the same port (by name, else by number) had before this update. */
    private static Integer previous(ServicePort p, ServiceSpec was) {
        if (was == null || was.getPorts() == null) {
            return null;
        }
        for (ServicePort o : was.getPorts()) {
            boolean same = p.getName() != null && !p.getName().isEmpty() ? p.getName().equals(o.getName())
                    : Objects.equals(p.getPort(), o.getPort());
            if (same && protocol(p).equals(protocol(o)) && o.getNodePort() != null && o.getNodePort() != 0) {
                return o.getNodePort();
            }
        }
        return null;
    }

    private static String protocol(ServicePort p) {
        return p.getProtocol() == null ? "TCP" : p.getProtocol();
    }

    private int allocate(String key, Set<Integer> mine, StoreView view, Service svc) {
        for (int n = 0; n < range.size(); n++) {
            int port = range.first() + Math.floorMod(cursor - range.first() + n, range.size());
            if (!mine.contains(port) && !isHeldByOther(port, key, view)) {
                cursor = port + 1;
                return port;
            }
        }
        throw new ApiException.Invalid(ObjectKey.of(svc),
                List.of(FieldError.invalid("spec.ports", null, "no free nodePort left in " + range)));
    }

    private boolean isHeldByOther(int port, String key, StoreView view) {
        String holder = holders.get(port);
        if (holder == null || holder.equals(key)) {
            return false;
        }
        Service s = view.get(ResourceKinds.SERVICE, Keys.namespace(holder), Keys.name(holder)).orElse(null);
        if (s != null && nodePorts(s).contains(port)) {
            return true;
        }
        holders.remove(port);
        return false;
    }

    private static Set<Integer> nodePorts(Service s) {
        Set<Integer> out = new HashSet<>();
        if (s.getSpec() == null) {
            return out;
        }
        if (s.getSpec().getPorts() != null) {
            for (ServicePort p : s.getSpec().getPorts()) {
                if (p.getNodePort() != null && p.getNodePort() != 0) {
                    out.add(p.getNodePort());
                }
            }
        }
        if (s.getSpec().getHealthCheckNodePort() != null && s.getSpec().getHealthCheckNodePort() != 0) {
            out.add(s.getSpec().getHealthCheckNodePort());
        }
        return out;
    }

    private void rebuild(StoreView view) {
        holders = new HashMap<>();
        for (Service s : view.all(ResourceKinds.SERVICE)) {
            for (Integer port : nodePorts(s)) {
                holders.put(port, Keys.of(s.getMetadata().getNamespace(), s.getMetadata().getName()));
            }
        }
    }

    /**
     * Kubernetes prints numbers unquoted ({@code Invalid value: 30080: ...}); FieldError quotes every
     * value, so the text is written into the reason and the value left out.
     */
    private static FieldError error(String path, int value, String reason) {
        return new FieldError(path, null, "Invalid value: " + value + ": " + reason);
    }
}
