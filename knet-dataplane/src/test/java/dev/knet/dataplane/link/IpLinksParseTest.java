package dev.knet.dataplane.link;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IpLinksParseTest {

    /** Trimmed output of {@code ip -details -json addr show} for a bridge port and its bridge. */
    static final String JSON = """
            [{"ifindex":2,"ifname":"br0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,
              "operstate":"UNKNOWN","address":"32:3d:9b:61:0b:66","linkinfo":{"info_kind":"bridge"},
              "addr_info":[{"family":"inet","local":"10.0.0.1","prefixlen":24,"scope":"global"},
                           {"family":"inet6","local":"fe80::303d:9bff:fe61:b66","prefixlen":64,"scope":"link"}]},
             {"ifindex":3,"link_index":2,"ifname":"knv0123456789a","flags":["BROADCAST","MULTICAST"],"mtu":1450,
              "master":"br0","address":"02:11:22:33:44:55","linkinfo":{"info_kind":"veth","info_slave_kind":"bridge"},
              "addr_info":[{"family":"inet","local":"169.254.1.1","prefixlen":32,"scope":"link"}]},
             {"ifindex":1,"ifname":"lo","flags":["LOOPBACK"],"mtu":65536,"address":"00:00:00:00:00:00","addr_info":[]}]
            """;

    @Test
    void readsKindStateMasterAndAddresses() {
        var links = IpLinks.parse(JSON);

        assertThat(links).containsExactly(
                new Link("br0", 2, LinkKind.BRIDGE, 1500, true, null, "32:3d:9b:61:0b:66", java.util.List.of(
                        LinkAddress.parse("10.0.0.1/24"),
                        new LinkAddress("fe80::303d:9bff:fe61:b66", 64, AddressScope.LINK))),
                new Link("knv0123456789a", 3, LinkKind.VETH, 1450, false, "br0", "02:11:22:33:44:55",
                        java.util.List.of(new LinkAddress("169.254.1.1", 32, AddressScope.LINK))),
                new Link("lo", 1, LinkKind.LOOPBACK, 65536, false, null, "00:00:00:00:00:00", java.util.List.of()));
    }

    @Test
    void emptyOutputIsNoLinks() {
        assertThat(IpLinks.parse("")).isEmpty();
    }
}
