package dev.knet.cni.plugin;

import dev.knet.cni.spec.CniError;
import dev.knet.cni.spec.CniException;
import dev.knet.cni.spec.CniResult;
import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.link.AddressScope;
import dev.knet.dataplane.link.Link;
import dev.knet.dataplane.link.LinkAddress;
import dev.knet.dataplane.link.VethSpec;
import dev.knet.dataplane.route.Route;
import dev.knet.dataplane.route.RouteScope;
import dev.knet.model.net.Cidr;

import java.util.List;

/**
 * ADD. Every step that creates something pushes its undo first-class, so a failure at any step
 * leaves the node as it was (the shared bridge and the node's ip_forward are kept: they are node
 * state, not the pod's).
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

    PodAttacher(Dataplane dp) {
        this.dp = dp;
    }

    CniResult add(KnetNetConf conf, PodTarget pod, AddressSource addresses) {
        String node = conf.nodeNetns();
        if (!dp.netns().exists(node)) {
            throw new CniException(CniError.of(CniError.TRY_AGAIN_LATER, "node namespace " + node + " does not exist",
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

    private CniResult wire(KnetNetConf conf, PodTarget pod, Allocation ip, Rollback rollback) {
        String node = conf.nodeNetns();
        String host = pod.hostEnd();
        KnetMode.HostSide side = conf.networkMode().hostSide();
        String gateway = switch (side) {
            case BRIDGED -> {
                ensureBridge(node, conf.bridgeName(), new LinkAddress(ip.gateway(), ip.prefixLength(), AddressScope.GLOBAL));
                yield ip.gateway();
            }
            case ROUTED -> {
                dp.sysctls().set(node, "net.ipv4.ip_forward", "1");
                yield LINK_LOCAL_GATEWAY;
            }
        };
        dp.links().createVeth(node, new VethSpec(host, pod.ifName(), pod.podNetns(), conf.mtuOrZero()));
        rollback.push(() -> dp.links().delete(node, host));
        LinkAddress podAddress = switch (side) {
            case BRIDGED -> {
                dp.links().setMaster(node, host, conf.bridgeName());
                yield LinkAddress.parse(ip.cidr());
            }
            case ROUTED -> {
                dp.links().addAddress(node, host, LinkAddress.parse(LINK_LOCAL_GATEWAY + "/32").withScope(AddressScope.LINK));
                yield LinkAddress.parse(ip.ip() + "/32");
            }
        };
        dp.links().setUp(node, host);
        dp.links().addAddress(pod.podNetns(), pod.ifName(), podAddress);
        dp.links().setUp(pod.podNetns(), pod.ifName());
        if (side == KnetMode.HostSide.ROUTED) {
            // the gateway is not inside the pod's /32, so it needs its own on-link route first
            dp.routes().add(pod.podNetns(), Route.to(LINK_LOCAL_GATEWAY + "/32").dev(pod.ifName()).scope(RouteScope.LINK));
            dp.routes().replace(node, Route.to(ip.ip() + "/32").dev(host).scope(RouteScope.LINK));
        }
        dp.routes().add(pod.podNetns(), Route.to("0.0.0.0/0").via(gateway).dev(pod.ifName()));
        Link hostLink = dp.links().find(node, host).orElseThrow();
        Link podLink = dp.links().find(pod.podNetns(), pod.ifName()).orElseThrow();
        return new CniResult(conf.cniVersion(),
                List.of(CniResult.Interface.of(host, hostLink.mac(), null, null),
                        CniResult.Interface.of(pod.ifName(), podLink.mac(), podLink.mtu(), pod.netnsPath())),
                List.of(new CniResult.Ip(podAddress.cidr(), gateway, 1)),
                List.of(CniResult.Route.of("0.0.0.0/0", gateway)),
                conf.dns());
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
