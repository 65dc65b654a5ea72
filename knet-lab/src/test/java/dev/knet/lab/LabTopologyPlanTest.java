package dev.knet.lab;

import dev.knet.control.config.ClusterConfig;
import dev.knet.dataplane.FakeDataplane;
import dev.knet.dataplane.link.FdbEntry;
import dev.knet.dataplane.link.Link;
import dev.knet.dataplane.link.LinkAddress;
import dev.knet.dataplane.route.Neighbour;
import dev.knet.dataplane.route.Route;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What each mode builds, checked against the stateful fake dataplane (which rejects impossible steps). */
class LabTopologyPlanTest {

    private static final Map<String, String> POD_CIDRS = Map.of("node-1", "10.244.1.0/24", "node-2", "10.244.2.0/24");
    private static final String UL = "knet-tp-underlay";
    private static final String N1 = "knet-tp-node-1";
    private static final String N2 = "knet-tp-node-2";

    record Row(String name, LabMode mode, Consumer<FakeDataplane> check) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> modes() {
        return Stream.of(
                new Row("bridge: knbr0 gateways and a shared pod segment", LabMode.BRIDGE, fake -> {
                    assertThat(fake.links().find(N1, "knbr0").orElseThrow().addresses())
                            .containsExactly(LinkAddress.parse("10.244.1.1/16"));
                    assertThat(fake.links().find(N2, "knbr0").orElseThrow().addresses())
                            .containsExactly(LinkAddress.parse("10.244.2.1/16"));
                    assertThat(fake.links().find(N1, "podseg").orElseThrow().master()).isEqualTo("knbr0");
                    assertThat(fake.links().find(UL, "ps-n1").orElseThrow().master()).isEqualTo("podseg0");
                    assertThat(fake.links().find(UL, "ps-n2").orElseThrow().master()).isEqualTo("podseg0");
                    assertThat(fake.links().gsoMaxSize(N1, "podseg")).as("the shared pod segment").isEqualTo(196_608);
                    assertThat(fake.routes().list(N1)).noneMatch(r -> r.gateway() != null);
                }),
                new Row("routed: host-gw routes via the other node's underlay IP", LabMode.ROUTED, fake -> {
                    assertThat(gatewayRoutes(fake, N1))
                            .containsExactly(Route.to("10.244.2.0/24").via("198.18.0.12").dev("eth0"));
                    assertThat(gatewayRoutes(fake, N2))
                            .containsExactly(Route.to("10.244.1.0/24").via("198.18.0.11").dev("eth0"));
                    assertThat(fake.links().find(N1, "knvx0")).isEmpty();
                }),
                new Row("vxlan: VTEP address, onlink route, neighbour and FDB per peer", LabMode.VXLAN, fake -> {
                    Link vx1 = fake.links().find(N1, "knvx0").orElseThrow();
                    Link vx2 = fake.links().find(N2, "knvx0").orElseThrow();
                    assertThat(vx1.mtu()).isEqualTo(1450);
                    assertThat(vx1.addresses()).containsExactly(LinkAddress.parse("10.244.1.0/32"));
                    assertThat(gatewayRoutes(fake, N1)).containsExactly(
                            Route.to("10.244.2.0/24").via("10.244.2.0").dev("knvx0").asOnlink());
                    assertThat(fake.neighbours().list(N1, "knvx0"))
                            .containsExactly(new Neighbour("10.244.2.0", vx2.mac(), "knvx0"));
                    assertThat(fake.fdb().list(N1, "knvx0"))
                            .containsExactly(new FdbEntry(vx2.mac(), "knvx0", "198.18.0.12"));
                    assertThat(fake.fdb().list(N2, "knvx0"))
                            .containsExactly(new FdbEntry(vx1.mac(), "knvx0", "198.18.0.11"));
                    assertThat(fake.nftables(N1).dump()).as("node-1's own tunnel packets skip conntrack").isEqualTo("""
                            add table ip knet-overlay
                            add chain ip knet-overlay raw-output { type filter hook output priority -300 ; }
                            add chain ip knet-overlay raw-prerouting { type filter hook prerouting priority -300 ; }
                            add rule ip knet-overlay raw-output ip saddr 198.18.0.11 udp dport 4789 notrack
                            add rule ip knet-overlay raw-prerouting ip daddr 198.18.0.11 udp dport 4789 notrack
                            """);
                    assertThat(fake.nftables(N2).dump()).contains("ip daddr 198.18.0.12 udp dport 4789 notrack");
                }),
                new Row("cloud: nodes send pods to the VPC router, which routes per podCIDR", LabMode.CLOUD, fake -> {
                    assertThat(gatewayRoutes(fake, N1))
                            .containsExactly(Route.to("10.244.0.0/16").via("198.18.0.1").dev("eth0"));
                    assertThat(fake.links().find(UL, "ul0").orElseThrow().addresses())
                            .containsExactly(LinkAddress.parse("198.18.0.1/24"));
                    assertThat(fake.sysctls().get(UL, "net.ipv4.ip_forward")).isEqualTo("1");
                    assertThat(fake.links().gsoMaxSize(UL, "ul0")).as("the VPC router's device").isEqualTo(196_608);
                    assertThat(gatewayRoutes(fake, UL)).containsExactlyInAnyOrder(
                            Route.to("10.244.1.0/24").via("198.18.0.11").dev("ul0"),
                            Route.to("10.244.2.0/24").via("198.18.0.12").dev("ul0"));
                }))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void buildsTheModesTopology(Row row, @org.junit.jupiter.api.io.TempDir java.nio.file.Path state) {
        FakeDataplane fake = new FakeDataplane();
        NamespaceLab lab = new NamespaceLab(new LabOptions("tp", 2, row.mode(), false), fake.dataplane(), null,
                state);
        ClusterConfig config = ClusterConfig.withNodes("tp", 2);
        lab.buildNetwork(config);
        lab.controllers(config).forEach(c -> c.reconcile(POD_CIDRS));

        assertThat(fake.netns().list()).containsExactly("knet-tp-ext", N1, N2, UL);
        assertThat(fake.links().find(N1, "eth0").orElseThrow().addresses())
                .containsExactly(LinkAddress.parse("198.18.0.11/24"));
        assertThat(fake.links().find("knet-tp-ext", "eth0").orElseThrow().addresses())
                .containsExactly(LinkAddress.parse("198.18.0.2/24"));
        assertThat(fake.links().find(UL, "ul-n1").orElseThrow().master()).isEqualTo("ul0");
        assertThat(fake.sysctls().get(N1, "net.ipv4.ip_forward")).isEqualTo("1");
        assertThat(fake.sysctls().get(UL, "net.bridge.bridge-nf-call-iptables")).as("the switch does not filter")
                .isEqualTo("0");
        for (String ns : List.of(N1, N2, "knet-tp-ext")) {
            assertThat(fake.routes().list(ns)).as("no default route in %s", ns)
                    .noneMatch(r -> r.dst().equals("0.0.0.0/0"));
        }
        int bigTcp = row.mode() == LabMode.VXLAN ? 0 : 196_608;
        assertThat(lab.network().bigTcp()).as("pods get BIG TCP where the underlay has it").isEqualTo(bigTcp > 0);
        assertThat(fake.links().gsoMaxSize(N1, "eth0")).as("BIG TCP on the node's underlay veth").isEqualTo(bigTcp);
        assertThat(fake.links().gsoMaxSize(UL, "ul-n1")).isEqualTo(bigTcp);
        row.check().accept(fake);
        if (row.mode() != LabMode.VXLAN) {
            assertThat(fake.nftables(N1).dump()).as("only a tunnel needs exempting from conntrack").isEmpty();
        }

        lab.close();
        assertThat(fake.netns().list()).isEmpty();
    }

    private static List<Route> gatewayRoutes(FakeDataplane fake, String ns) {
        return fake.routes().list(ns).stream().filter(r -> r.gateway() != null).toList();
    }
}
