package dev.knet.dataplane.link;

import dev.knet.dataplane.CommandRunner;
import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.IpJson;
import dev.knet.dataplane.NetnsScope;
import dev.knet.dataplane.netns.NetnsNames;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link Links} over iproute2: {@code ip -n NS link/addr ...}, state read back with {@code ip -json}.
 * Names always follow the {@code name}/{@code dev} keyword: ip takes a bare "a" or "d" as an
 * abbreviation of "address" or "dynamic".
 */
public final class IpLinks implements Links {

    private final CommandRunner runner;

    public IpLinks(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public void createVeth(String netns, VethSpec spec) {
        // spec.gsoMaxSize() is left out: iproute2 before 6.3 cannot set IPv4's BIG TCP limits (NetlinkLinks does)
        List<String> argv = new ArrayList<>(List.of("ip", "link", "add", "name", spec.name()));
        mac(argv, spec.mac());
        mtu(argv, spec.mtu());
        if (spec.master() != null) {
            argv.addAll(List.of("master", spec.master()));
        }
        if (spec.state() == AdminState.UP) {
            argv.add("up");
        }
        argv.addAll(List.of("type", "veth", "peer", "name", spec.peerName()));
        mac(argv, spec.peerMac());
        mtu(argv, spec.mtu());
        argv.addAll(List.of("netns", spec.peerNetns()));
        ip(netns, argv);
    }

    @Override
    public void createBridge(String netns, String name) {
        ip(netns, List.of("ip", "link", "add", "name", LinkNames.require(name), "type", "bridge"));
    }

    @Override
    public void createVxlan(String netns, VxlanSpec spec) {
        List<String> argv = new ArrayList<>(List.of("ip", "link", "add", "name", spec.name()));
        mtu(argv, spec.mtu());
        argv.addAll(List.of("type", "vxlan", "id", Integer.toString(spec.vni()), "local", spec.local(),
                "dstport", Integer.toString(spec.dstPort()), "nolearning"));
        if (spec.device() != null) {
            argv.addAll(List.of("dev", LinkNames.require(spec.device())));
        }
        ip(netns, argv);
    }

    @Override
    public void setUp(String netns, String name) {
        ip(netns, List.of("ip", "link", "set", "dev", LinkNames.require(name), "up"));
    }

    @Override
    public void setDown(String netns, String name) {
        ip(netns, List.of("ip", "link", "set", "dev", LinkNames.require(name), "down"));
    }

    @Override
    public void setMtu(String netns, String name, int mtu) {
        ip(netns, List.of("ip", "link", "set", "dev", LinkNames.require(name), "mtu", Integer.toString(mtu)));
    }

    @Override
    public void setMaster(String netns, String name, String master) {
        ip(netns, List.of("ip", "link", "set", "dev", LinkNames.require(name), "master", LinkNames.require(master)));
    }

    @Override
    public void addAddress(String netns, String name, LinkAddress address) {
        ip(netns, List.of("ip", "addr", "add", address.cidr(), "dev", LinkNames.require(name),
                "scope", address.scope().ipName()));
    }

    @Override
    public void deleteAddress(String netns, String name, LinkAddress address) {
        ip(netns, List.of("ip", "addr", "del", address.cidr(), "dev", LinkNames.require(name)));
    }

    @Override
    public List<LinkAddress> addresses(String netns, String name) {
        return find(netns, name).map(Link::addresses).orElseThrow(
                () -> new DataplaneException(DataplaneException.Kind.NOT_FOUND, "no link " + name + " in " + netns));
    }

    @Override
    public void moveToNetns(String netns, String name, String targetNetns) {
        ip(netns, List.of("ip", "link", "set", "dev", LinkNames.require(name), "netns",
                NetnsNames.requireKnet(targetNetns)));
    }

    @Override
    public void rename(String netns, String name, String newName) {
        ip(netns, List.of("ip", "link", "set", "dev", LinkNames.require(name), "name", LinkNames.require(newName)));
    }

    @Override
    public void delete(String netns, String name) {
        try {
            ip(netns, List.of("ip", "link", "del", "dev", LinkNames.require(name)));
        } catch (DataplaneException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    @Override
    public List<Link> list(String netns) {
        return parse(ip(netns, List.of("ip", "-details", "-json", "addr", "show")));
    }

    @Override
    public Optional<Link> find(String netns, String name) {
        try {
            return parse(ip(netns, List.of("ip", "-details", "-json", "addr", "show", "dev", LinkNames.require(name))))
                    .stream().findFirst();
        } catch (DataplaneException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private String ip(String netns, List<String> argv) {
        return runner.run(NetnsScope.in(netns), argv).stdout();
    }

    private static void mac(List<String> argv, String mac) {
        if (mac != null) {
            argv.addAll(List.of("address", mac));
        }
    }

    private static void mtu(List<String> argv, int mtu) {
        if (mtu > 0) {
            argv.addAll(List.of("mtu", Integer.toString(mtu)));
        }
    }

    static List<Link> parse(String json) {
        List<Link> links = new ArrayList<>();
        for (JsonNode node : IpJson.array(json)) {
            String name = IpJson.text(node, "ifname");
            JsonNode info = node.path("linkinfo");
            LinkKind kind = LinkKind.fromInfoKind(IpJson.text(info, "info_kind"), name);
            boolean up = false;
            for (JsonNode flag : node.path("flags")) {
                up |= flag.asString().equals("UP");
            }
            List<LinkAddress> addresses = new ArrayList<>();
            for (JsonNode a : node.path("addr_info")) {
                addresses.add(new LinkAddress(IpJson.text(a, "local"), a.path("prefixlen").asInt(),
                        AddressScope.parse(IpJson.text(a, "scope"))));
            }
            links.add(new Link(name, node.path("ifindex").asInt(), kind, node.path("mtu").asInt(), up,
                    IpJson.text(node, "master"), IpJson.text(node, "address"), addresses));
        }
        return links;
    }
}
