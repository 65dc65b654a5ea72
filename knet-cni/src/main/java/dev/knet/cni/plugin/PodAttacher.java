package dev.knet.cni.plugin;

import dev.knet.cni.spec.CniError;
import dev.knet.cni.spec.CniException;
import dev.knet.cni.spec.CniResult;
import dev.knet.dataplane.BatchOp;
import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.link.AddressScope;
import dev.knet.dataplane.link.AdminState;
import dev.knet.dataplane.link.LinkAddress;
import dev.knet.dataplane.link.VethSpec;
import dev.knet.dataplane.route.Route;
import dev.knet.dataplane.route.RouteScope;
import dev.knet.model.net.Cidr;

import java.util.ArrayList;
import java.util.List;

/**
 * ADD. Every step that creates something pushes its undo at once, so a failure at any later step
 * leaves the node as it was: the address is freed and the host end deleted, which takes the pod
 * end, its addresses and routes, and the node's route to the pod with it. The shared bridge and
 * the node's ip_forward are kept: they are node state, not the pod's.
 *
 * <p>Routed modes use a link-local gateway, as Calico does, but instead of proxy ARP the host end
 * carries {@value #LINK_LOCAL_GATEWAY}/32 (scope link) itself. Proxy ARP only answers when the node
 * has a route to the target, and a lab node namespace has no default route; owning the address
 * also lets a pod ping its gateway. Scope link keeps the address out of source selection for
 * anything but the pods.
 */
final class PodAttacher {

    static final String LINK_LOCAL_GATEWAY = "169.254.1.1";

    private final Dataplane dp;
    private final NodeSetup node;

    PodAttacher(Dataplane dp, NodeSetup node) {
        this.dp = dp;
        this.node = node;
    }

    CniResult add(KnetNetConf conf, PodTarget pod, AddressSource addresses) {
        String nodeNs = conf.nodeNetns();
        if (!dp.netns().exists(nodeNs)) {
            throw new CniException(CniError.of(CniError.TRY_AGAIN_LATER, "node namespace " + nodeNs + " does not exist",
                    null));
        }
        if (!dp.netns().exists(pod.podNetns())) {
            throw new CniException(CniError.of(CniError.UNKNOWN_CONTAINER, "pod namespace " + pod.podNetns()
                    + " does not exist", null));
        }
        Rollback rollback = new Rollback();
        try {
            Allocation ip = addresses.acquire(pod, rollback);
            return wire(conf, pod, ip, rollback);
        } catch (DataplaneException e) {
            rollback.run(e);
            throw new CniException(CniError.of(CniError.DATAPLANE_FAILED, "ADD failed and was undone: "
                    + e.getMessage(), e.stderr()), e);
        } catch (RuntimeException e) {
            rollback.run(e);
            throw e;
        }
    }

    /**
     * Three kernel round trips at most: the veth pair is created with MACs, MTU, master and up
     * state in one request, and each side's addresses and routes go in one batch (no process at all
     * on the agent's in-process dataplane, three {@code ip} processes on the iproute2 one).
     */
    private CniResult wire(KnetNetConf conf, PodTarget pod, Allocation ip, Rollback rollback) {
        String nodeNs = conf.nodeNetns();
        String host = pod.hostEnd();
        String ifName = pod.ifName();
        KnetMode.HostSide side = conf.networkMode().hostSide();
        VethSpec veth = new VethSpec(host, ifName, pod.podNetns(), conf.mtuOrZero())
                .withMacs(HostEndName.mac(pod, "host"), HostEndName.mac(pod, "pod")).withState(AdminState.UP)
                .withGsoMaxSize(conf.gsoMaxSize());
        List<BatchOp> nodeOps = new ArrayList<>();
        List<BatchOp> podOps = new ArrayList<>();
        String gateway;
        LinkAddress podAddress;
        switch (side) {
            case BRIDGED -> {
                gateway = ip.gateway();
                podAddress = LinkAddress.parse(ip.cidr());
                veth = veth.withMaster(conf.bridgeName());
            }
            case ROUTED -> {
                gateway = LINK_LOCAL_GATEWAY;
                podAddress = LinkAddress.parse(ip.ip() + "/32");
                node.enableForwarding(nodeNs);
                nodeOps.add(new BatchOp.AddAddress(host,
                        LinkAddress.parse(LINK_LOCAL_GATEWAY + "/32").withScope(AddressScope.LINK)));
                nodeOps.add(new BatchOp.ReplaceRoute(Route.to(ip.ip() + "/32").dev(host).scope(RouteScope.LINK)));
                // the gateway is outside the pod's /32, so it needs its own on-link route first
                podOps.add(new BatchOp.AddRoute(Route.to(LINK_LOCAL_GATEWAY + "/32").dev(ifName).scope(RouteScope.LINK)));
            }
            default -> throw new IllegalStateException("unreachable");
        }
        podOps.addFirst(new BatchOp.SetUp(ifName));
        podOps.addFirst(new BatchOp.AddAddress(ifName, podAddress));
        podOps.add(new BatchOp.AddRoute(Route.to("0.0.0.0/0").via(gateway).dev(ifName)));

        createVeth(conf, nodeNs, veth, ip);
        rollback.push(() -> dp.links().delete(nodeNs, host));
        dp.batches().apply(nodeNs, nodeOps);
        dp.batches().apply(pod.podNetns(), podOps);
        return new CniResult(conf.cniVersion(),
                List.of(CniResult.Interface.of(host, veth.mac(), null, null),
                        CniResult.Interface.of(ifName, veth.peerMac(), conf.mtu(), pod.netnsPath())),
                List.of(new CniResult.Ip(podAddress.cidr(), gateway, 1)),
                List.of(CniResult.Route.of("0.0.0.0/0", gateway)),
                conf.dns());
    }

    /** Creates the pair; the first pod of a bridged node finds no bridge and creates it, then retries. */
    private void createVeth(KnetNetConf conf, String nodeNs, VethSpec veth, Allocation ip) {
        try {
            dp.links().createVeth(nodeNs, veth);
        } catch (DataplaneException e) {
            if (veth.master() == null || !e.isNotFound() || dp.links().find(nodeNs, veth.master()).isPresent()) {
                throw e;
            }
            ensureBridge(nodeNs, veth.master(), new LinkAddress(ip.gateway(), ip.prefixLength(), AddressScope.GLOBAL));
            dp.links().createVeth(nodeNs, veth);
        }
    }

    /** The bridge is node state shared by all pods: created once, tolerant of a concurrent ADD creating it. */
    private void ensureBridge(String node, String bridge, LinkAddress gatewayAddress) {
        var existing = dp.links().find(node, bridge);
        if (existing.isEmpty()) {
            try {
                dp.links().createBridge(node, bridge);
            } catch (DataplaneException e) {
                if (!e.isExists()) {
                    throw e;
                }
            }
        }
        if (existing.isEmpty() || !existing.get().up()) {
            dp.links().setUp(node, bridge);
        }
        if (existing.isEmpty() || !existing.get().hasAddress(gatewayAddress)) {
            try {
                dp.links().addAddress(node, bridge, gatewayAddress);
            } catch (DataplaneException e) {
                if (!e.isExists()) {
                    throw e;
                }
            }
        }
    }

    /** Where the pod's address comes from: the runtime's "ips" capability or the built-in IPAM. */
    interface AddressSource {
        Allocation acquire(PodTarget pod, Rollback rollback);

        static AddressSource of(KnetNetConf conf) {
            List<String> requested = conf.requestedIps();
            if (!requested.isEmpty()) {
                return (pod, rollback) -> fromCapability(conf, requested.getFirst());
            }
            FileIpam ipam = new FileIpam(conf.name(), conf.ipam());
            return (pod, rollback) -> {
                // a repeated ADD gets its existing address back and must not free it on failure
                var existing = ipam.find(pod.containerId(), pod.ifName());
                if (existing.isPresent()) {
                    return existing.get();
                }
                Allocation a = ipam.allocate(pod.containerId(), pod.ifName());
                rollback.push(() -> ipam.release(pod.containerId(), pod.ifName()));
                return a;
            };
        }

        private static Allocation fromCapability(KnetNetConf conf, String cidr) {
            LinkAddress address;
            try {
                address = LinkAddress.parse(cidr);
            } catch (RuntimeException e) {
                throw KnetNetConf.invalid("runtimeConfig.ips entry " + cidr + " is not an address/prefix");
            }
            String gateway = conf.ipam() != null && conf.ipam().range() != null && conf.ipam().range().gateway() != null
                    ? conf.ipam().range().gateway()
                    : Cidr.parse(address.network().toString()).addressStringAt(1);
            return new Allocation(address.address(), address.prefixLength(), gateway);
        }
    }
}
