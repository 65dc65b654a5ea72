package dev.knet.cni.plugin;

import dev.knet.cni.spec.CniError;
import dev.knet.cni.spec.CniException;
import dev.knet.cni.spec.CniJson;
import dev.knet.cni.spec.CniResult;
import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.link.Link;
import dev.knet.dataplane.link.LinkAddress;
import dev.knet.dataplane.route.Route;

import java.util.List;

/** CHECK: the attachment still looks the way the previous ADD result says. */
final class PodChecker {

    private final Dataplane dp;

    PodChecker(Dataplane dp) {
        this.dp = dp;
    }

    void check(KnetNetConf conf, PodTarget pod) {
        if (conf.prevResult() == null || conf.prevResult().isNull()) {
            throw KnetNetConf.invalid("CHECK needs prevResult");
        }
        CniResult prev = CniJson.convert(conf.prevResult(), CniResult.class);
        if (!dp.netns().exists(pod.podNetns())) {
            throw new CniException(CniError.of(CniError.UNKNOWN_CONTAINER, "pod namespace " + pod.podNetns()
                    + " does not exist", null));
        }
        Link podLink = dp.links().find(pod.podNetns(), pod.ifName())
                .orElseThrow(() -> failed(pod.ifName() + " is missing in " + pod.podNetns()));
        if (!podLink.up()) {
            throw failed(pod.ifName() + " is down");
        }
        int podIndex = indexOf(prev.interfaces(), pod.ifName());
        for (CniResult.Ip ip : prev.ips()) {
            if (ip.interfaceIndex() != null && ip.interfaceIndex() == podIndex
                    && !podLink.hasAddress(LinkAddress.parse(ip.address()))) {
                throw failed("address " + ip.address() + " is missing on " + pod.ifName());
            }
        }
        List<Route> podRoutes = dp.routes().list(pod.podNetns());
        for (CniResult.Route r : prev.routes()) {
            Route want = Route.to(r.dst());
            boolean present = podRoutes.stream().anyMatch(have -> have.dst().equals(want.dst())
                    && (r.gw() == null || r.gw().equals(have.gateway())));
            if (!present) {
                throw failed("route " + r.dst() + " via " + r.gw() + " is missing in " + pod.podNetns());
            }
        }
        String node = conf.nodeNetns();
        Link host = dp.links().find(node, pod.hostEnd())
                .orElseThrow(() -> failed("host end " + pod.hostEnd() + " is missing in " + node));
        if (!host.up()) {
            throw failed("host end " + host.name() + " is down");
        }
        switch (conf.networkMode().hostSide()) {
            case BRIDGED -> {
                if (!conf.bridgeName().equals(host.master())) {
                    throw failed("host end " + host.name() + " is not attached to " + conf.bridgeName());
                }
            }
            case ROUTED -> {
                for (CniResult.Ip ip : prev.ips()) {
                    String dst = LinkAddress.parse(ip.address()).address() + "/32";
                    boolean routed = dp.routes().list(node).stream()
                            .anyMatch(r -> r.dst().equals(dst) && host.name().equals(r.dev()));
                    if (!routed) {
                        throw failed("node route " + dst + " dev " + host.name() + " is missing");
                    }
                }
            }
        }
    }

    private static int indexOf(List<CniResult.Interface> interfaces, String name) {
        for (int i = 0; i < interfaces.size(); i++) {
            if (interfaces.get(i).sandbox() != null && name.equals(interfaces.get(i).name())) {
                return i;
            }
        }
        return -1;
    }

    private static CniException failed(String msg) {
        return new CniException(CniError.of(CniError.CHECK_FAILED, "CHECK failed: " + msg, null));
    }
}
