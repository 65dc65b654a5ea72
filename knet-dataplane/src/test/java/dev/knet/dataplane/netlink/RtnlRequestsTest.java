package dev.knet.dataplane.netlink;

import dev.knet.dataplane.link.AddressScope;
import dev.knet.dataplane.link.AdminState;
import dev.knet.dataplane.link.LinkAddress;
import dev.knet.dataplane.link.VethSpec;
import dev.knet.dataplane.route.Route;
import dev.knet.dataplane.route.RouteScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.knet.dataplane.netlink.RtnlRequests.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The requests decoded field by field: what iproute2 would send for the same command. */
class RtnlRequestsTest {

    private static final int REQUEST_ACK = NlMessage.F_REQUEST | NlMessage.F_ACK;
    private static final int CREATE_EXCL = NlMessage.F_CREATE | NlMessage.F_EXCL;

    record RouteCase(String name, Route route, int oif, boolean replace, int dstLength, int scope, int rtmFlags,
                     int flags, boolean hasDst, boolean hasGateway) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<RouteCase> routes() {
        return Stream.of(
                new RouteCase("default via a gateway: no RTA_DST, scope universe",
                        Route.to("default").via("169.254.1.1").dev("eth0"), 7, false, 0, SCOPE_UNIVERSE, 0,
                        CREATE_EXCL, false, true),
                new RouteCase("device route given no scope: scope link, as ip defaults it",
                        Route.to("10.244.1.5/32").dev("knv1"), 9, true, 32, SCOPE_LINK, 0,
                        NlMessage.F_CREATE | NlMessage.F_REPLACE, true, false),
                new RouteCase("explicit link scope", Route.to("169.254.1.1/32").dev("eth0").scope(RouteScope.LINK), 7,
                        false, 32, SCOPE_LINK, 0, CREATE_EXCL, true, false),
                new RouteCase("onlink gateway without a device: no RTA_OIF",
                        Route.to("10.8.0.0/16").via("10.0.0.7").asOnlink(), 0, false, 16, SCOPE_UNIVERSE,
                        RTNH_F_ONLINK, CREATE_EXCL, true, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void routeRequests(RouteCase c) {
        Decoded d = Decoded.of(newRoute(c.route(), c.oif(), c.replace(), "knet-x").bytes(5), 12);

        assertThat(d.type()).isEqualTo(RTM_NEWROUTE);
        assertThat(d.flags()).isEqualTo(REQUEST_ACK | c.flags());
        assertThat(d.seq()).isEqualTo(5);
        assertThat(Byte.toUnsignedInt(d.family()[0])).as("family").isEqualTo(AF_INET);
        assertThat(Byte.toUnsignedInt(d.family()[1])).as("dst_len").isEqualTo(c.dstLength());
        assertThat(Byte.toUnsignedInt(d.family()[4])).as("table").isEqualTo(RT_TABLE_MAIN);
        assertThat(Byte.toUnsignedInt(d.family()[5])).as("protocol").isEqualTo(RTPROT_BOOT);
        assertThat(Byte.toUnsignedInt(d.family()[6])).as("scope").isEqualTo(c.scope());
        assertThat(Byte.toUnsignedInt(d.family()[7])).as("type").isEqualTo(RTN_UNICAST);
        assertThat(d.familyU32(8)).as("rtm_flags").isEqualTo(c.rtmFlags());
        assertThat(d.attr(RTA_DST).map(a -> java.util.HexFormat.of().formatHex(a.data()))).as("RTA_DST")
                .isEqualTo(c.hasDst() ? java.util.Optional.of(java.util.HexFormat.of().formatHex(
                        bytes(c.route().dst().split("/")[0]))) : java.util.Optional.empty());
        assertThat(d.attr(RTA_GATEWAY).isPresent()).as("RTA_GATEWAY present").isEqualTo(c.hasGateway());
        assertThat(d.attr(RTA_OIF).map(Decoded.Attr::u32).orElse(0)).as("RTA_OIF").isEqualTo(c.oif());
        assertThat(d.length()).as("nlmsg_len").isEqualTo(newRoute(c.route(), c.oif(), c.replace(), "x").bytes(1).length);
    }

    @Test
    void addressCarriesLocalAndAddressWithScopeAndIndex() {
        LinkAddress a = LinkAddress.parse("169.254.1.1/32").withScope(AddressScope.LINK);

        Decoded d = Decoded.of(newAddress(42, "knv1", a, "knet-x").bytes(1), 8);

        assertThat(d.type()).isEqualTo(RTM_NEWADDR);
        assertThat(d.flags()).isEqualTo(REQUEST_ACK | CREATE_EXCL);
        assertThat(d.family()[0]).isEqualTo((byte) AF_INET);
        assertThat(d.family()[1]).as("prefix length").isEqualTo((byte) 32);
        assertThat(Byte.toUnsignedInt(d.family()[3])).as("scope").isEqualTo(SCOPE_LINK);
        assertThat(d.familyU32(4)).as("index").isEqualTo(42);
        assertThat(d.attr(IFA_LOCAL).orElseThrow().data()).isEqualTo(new byte[] {(byte) 169, (byte) 254, 1, 1});
        assertThat(d.attr(IFA_ADDRESS).orElseThrow().data()).isEqualTo(new byte[] {(byte) 169, (byte) 254, 1, 1});
    }

    @Test
    void vethPeerIsNestedWithItsOwnNameMacMtuAndNamespace() {
        VethSpec spec = new VethSpec("knv1", "eth0", "knet-x-pod", 1450)
                .withMacs("02:aa:00:00:00:01", "02:aa:00:00:00:02").withMaster("knbr0").withState(AdminState.UP);

        Decoded d = Decoded.of(newVeth(spec, "knet-x-node", 3, 99).bytes(1), 16);

        assertThat(d.type()).isEqualTo(RtnlSocket.RTM_NEWLINK);
        assertThat(d.flags()).isEqualTo(REQUEST_ACK | CREATE_EXCL);
        assertThat(d.familyU32(8)).as("ifi_flags").isEqualTo(IFF_UP);
        assertThat(d.familyU32(12)).as("ifi_change").isEqualTo(IFF_UP);
        assertThat(d.attr(IFLA_IFNAME).orElseThrow().string()).isEqualTo("knv1");
        assertThat(d.attr(IFLA_ADDRESS).orElseThrow().data()).isEqualTo(mac("02:aa:00:00:00:01"));
        assertThat(d.attr(IFLA_MTU).orElseThrow().u32()).isEqualTo(1450);
        assertThat(d.attr(IFLA_MASTER).orElseThrow().u32()).isEqualTo(3);
        var info = d.attr(IFLA_LINKINFO).orElseThrow().nested(0);
        assertThat(Decoded.find(info, IFLA_INFO_KIND).orElseThrow().string()).isEqualTo("veth");
        var data = Decoded.find(info, IFLA_INFO_DATA).orElseThrow().nested(0);
        var peer = Decoded.find(data, VETH_INFO_PEER).orElseThrow().nested(16);
        assertThat(Decoded.find(peer, IFLA_IFNAME).orElseThrow().string()).isEqualTo("eth0");
        assertThat(Decoded.find(peer, IFLA_ADDRESS).orElseThrow().data()).isEqualTo(mac("02:aa:00:00:00:02"));
        assertThat(Decoded.find(peer, IFLA_MTU).orElseThrow().u32()).isEqualTo(1450);
        assertThat(Decoded.find(peer, IFLA_NET_NS_FD).orElseThrow().u32()).isEqualTo(99);
        assertThat(Decoded.find(peer, IFLA_MASTER)).as("the peer has no master").isEmpty();
    }

    @Test
    void bigTcpSetsTheGsoAndGroLimitsOfBothEndsForIpv4AndIpv6() {
        VethSpec spec = new VethSpec("knv1", "eth0", "knet-x-pod", 0).withGsoMaxSize(VethSpec.BIG_TCP);

        Decoded d = Decoded.of(newVeth(spec, "knet-x-node", 0, 7).bytes(1), 16);

        var info = d.attr(IFLA_LINKINFO).orElseThrow().nested(0);
        var data = Decoded.find(info, IFLA_INFO_DATA).orElseThrow().nested(0);
        var peer = Decoded.find(data, VETH_INFO_PEER).orElseThrow().nested(16);
        for (int attribute : new int[] {RtnlRequests.IFLA_GSO_MAX_SIZE, RtnlRequests.IFLA_GRO_MAX_SIZE,
                RtnlRequests.IFLA_GSO_IPV4_MAX_SIZE, RtnlRequests.IFLA_GRO_IPV4_MAX_SIZE}) {
            assertThat(d.attr(attribute).orElseThrow().u32()).as("local %d", attribute).isEqualTo(196_608);
            assertThat(Decoded.find(peer, attribute).orElseThrow().u32()).as("peer %d", attribute).isEqualTo(196_608);
        }
    }

    @Test
    void vethWithoutOptionsLeavesThemToTheKernel() {
        Decoded d = Decoded.of(newVeth(new VethSpec("ve-a", "ve-b", "knet-x", 0), "knet-x", 0, 5).bytes(1), 16);

        assertThat(d.familyU32(8)).as("created down").isZero();
        assertThat(d.attr(IFLA_MTU)).isEmpty();
        assertThat(d.attr(RtnlRequests.IFLA_GSO_MAX_SIZE)).as("no BIG TCP unless asked").isEmpty();
        assertThat(d.attr(RtnlRequests.IFLA_GSO_IPV4_MAX_SIZE)).isEmpty();
        assertThat(d.attr(IFLA_ADDRESS)).isEmpty();
        assertThat(d.attr(IFLA_MASTER)).isEmpty();
    }

    @Test
    void linkRequestsNameTheDeviceWithoutAnIndex() {
        for (var m : java.util.List.of(setUp("eth0", "n"), deleteLink("eth0", "n"), getLink("eth0", "n"))) {
            Decoded d = Decoded.of(m.bytes(1), 16);
            assertThat(d.familyU32(4)).as(m.what() + ": index").isZero();
            assertThat(d.attr(IFLA_IFNAME).orElseThrow().string()).as(m.what()).isEqualTo("eth0");
            assertThat(d.length() % 4).as(m.what() + ": aligned").isZero();
        }
    }

    static Stream<Arguments> ipv6() {
        return Stream.of(Arguments.of("fd00::1", AF_INET6, 16), Arguments.of("10.0.0.1", AF_INET, 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ipv6")
    void familyFollowsTheAddress(String address, int family, int length) {
        Decoded d = Decoded.of(newAddress(1, "eth0", LinkAddress.parse(address), "n").bytes(1), 8);
        assertThat(d.family()[0]).isEqualTo((byte) family);
        assertThat(d.attr(IFA_LOCAL).orElseThrow().data()).hasSize(length);
    }
}
