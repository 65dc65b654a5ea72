package dev.knet.lab;

import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.route.Route;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The "VPC route table" of cloud mode: in the underlay namespace, a route per node podCIDR via
 * that node's underlay IP, the way a cloud controller manager programs a VPC's routes from Nodes.
 */
public final class CloudRouteController implements PodCidrReconciler {

    private final Dataplane dp;
    private final String underlay;
    private final Map<String, LabNode> nodesByName = new HashMap<>();
    private final Map<String, Route> programmed = new HashMap<>();

    public CloudRouteController(Dataplane dp, LabNames names, List<LabNode> nodes) {
        this.dp = dp;
        this.underlay = names.underlay();
        nodes.forEach(n -> nodesByName.put(n.name(), n));
    }

    @Override
    public synchronized void reconcile(Map<String, String> podCidrs) {
        Map<String, Route> desired = new HashMap<>();
        podCidrs.forEach((node, cidr) -> {
            LabNode n = nodesByName.get(node);
            if (n != null) {
                desired.put(node, Route.to(cidr).via(n.ip()).dev(LabNames.UNDERLAY_BRIDGE));
            }
        });
        programmed.forEach((node, route) -> {
            if (!route.equals(desired.get(node))) {
                dp.routes().delete(underlay, route);
            }
        });
        programmed.keySet().retainAll(desired.keySet());
        desired.forEach((node, route) -> {
            if (!route.equals(programmed.get(node))) {
                dp.routes().replace(underlay, route);
                programmed.put(node, route);
            }
        });
    }

    @Override
    public synchronized void forget() {
        programmed.clear();
    }
}
