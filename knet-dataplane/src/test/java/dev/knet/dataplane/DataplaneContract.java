package dev.knet.dataplane;

import dev.knet.dataplane.link.AdminState;
import dev.knet.dataplane.link.FdbEntry;
import dev.knet.dataplane.link.Link;
import dev.knet.dataplane.link.LinkAddress;
import dev.knet.dataplane.link.LinkKind;
import dev.knet.dataplane.link.VethSpec;
import dev.knet.dataplane.link.VxlanSpec;
import dev.knet.dataplane.route.Neighbour;
import dev.knet.dataplane.route.Route;
import dev.knet.dataplane.route.RouteScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Behaviour every {@link Dataplane} must show; run against the fakes (always) and the kernel (lab).
 * This is what keeps the fakes honest: a rule the fake enforces and the kernel does not, or the
 * other way round, fails one of the two subclasses.
 */
abstract class DataplaneContract {

    Dataplane dp;
    String a;
    String b;
    private final List<String> created = new ArrayList<>();

    abstract Dataplane dataplane();

    abstract String prefix();

    @BeforeEach
    void createNamespaces() {
        dp = dataplane();
        a = prefix() + "-a";
        b = prefix() + "-b";
        for (String ns : List.of(a, b)) {
            dp.netns().create(ns);
            created.add(ns);
        }
    }

    @AfterEach
    void deleteNamespaces() {
        created.forEach(ns -> dp.netns().delete(ns));
    }

    @Test
    void namespacesAreListedAndDuplicatesRefused() {
        assertThat(dp.netns().list()).contains(a, b);
        assertThat(dp.netns().exists(a)).isTrue();
        assertThatThrownBy(() -> dp.netns().create(a)).isInstanceOfSatisfying(DataplaneException.class,
                e -> assertThat(e.kind()).isEqualTo(DataplaneException.Kind.EXISTS));
        assertThatThrownBy(() -> dp.netns().create("default")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void vethPairSpansNamespacesAndDiesTogether() {
        dp.links().createVeth(a, new VethSpec("ve-a", "ve-b", b, 1400));

        Link here = dp.links().find(a, "ve-a").orElseThrow();
        Link there = dp.links().find(b, "ve-b").orElseThrow();
        assertThat(here.kind()).isEqualTo(LinkKind.VETH);
        assertThat(there.mtu()).isEqualTo(1400);
        assertThat(dp.links().find(a, "ve-b")).isEmpty();

        dp.links().delete(b, "ve-b");
        assertThat(dp.links().find(a, "ve-a")).isEmpty();
        dp.links().delete(b, "ve-b"); // idempotent
    }

    @Test
    void deletingANamespaceTakesThePeerWithIt() {
        String c = prefix() + "-c";
        dp.netns().create(c);
        dp.links().createVeth(a, new VethSpec("ve-a", "ve-c", c, 0));

        dp.netns().delete(c);

        assertThat(dp.netns().exists(c)).isFalse();
        // the kernel tears a namespace down in a work queue, so the peer goes shortly after
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(dp.links().find(a, "ve-a")).isEmpty());
    }

    @Test
    void impossibleOperationsAreRefused() {
        dp.links().createBridge(a, "br0");
        assertThatThrownBy(() -> dp.links().createBridge(a, "br0")).isInstanceOfSatisfying(DataplaneException.class,
                e -> assertThat(e.kind()).isEqualTo(DataplaneException.Kind.EXISTS));
        assertThatThrownBy(() -> dp.links().createBridge(prefix() + "-missing", "br0"))
                .isInstanceOfSatisfying(DataplaneException.class,
                        e -> assertThat(e.kind()).isEqualTo(DataplaneException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> dp.links().setUp(a, "nosuch")).isInstanceOfSatisfying(DataplaneException.class,
                e -> assertThat(e.kind()).isEqualTo(DataplaneException.Kind.NOT_FOUND));
        dp.links().delete(a, "nosuch");
    }

    @Test
    void addressesMasterMtuAndRename() {
        dp.links().createBridge(a, "br0");
        dp.links().createVeth(a, new VethSpec("ve-a", "ve-b", b, 0));
        dp.links().setMaster(a, "ve-a", "br0");
        dp.links().setMtu(a, "ve-a", 1450);
        dp.links().addAddress(a, "br0", LinkAddress.parse("10.20.0.1/24"));
        assertThatThrownBy(() -> dp.links().addAddress(a, "br0", LinkAddress.parse("10.20.0.1/24")))
                .isInstanceOfSatisfying(DataplaneException.class,
                        e -> assertThat(e.kind()).isEqualTo(DataplaneException.Kind.EXISTS));

        assertThat(dp.links().find(a, "ve-a").orElseThrow().master()).isEqualTo("br0");
        assertThat(dp.links().find(a, "ve-a").orElseThrow().mtu()).isEqualTo(1450);
        assertThat(ipv4(dp.links().addresses(a, "br0"))).containsExactly(LinkAddress.parse("10.20.0.1/24"));

        dp.links().deleteAddress(a, "br0", LinkAddress.parse("10.20.0.1/24"));
        assertThat(ipv4(dp.links().addresses(a, "br0"))).isEmpty();
        assertThatThrownBy(() -> dp.links().deleteAddress(a, "br0", LinkAddress.parse("10.20.0.1/24")))
                .isInstanceOfSatisfying(DataplaneException.class,
                        e -> assertThat(e.kind()).isEqualTo(DataplaneException.Kind.NOT_FOUND));

        dp.links().rename(a, "ve-a", "ve-x");
        assertThat(dp.links().find(a, "ve-x")).isPresent();
        assertThat(dp.links().find(a, "ve-a")).isEmpty();
    }

    @Test
    void movingALinkDropsItsAddresses() {
        dp.links().createVeth(a, new VethSpec("ve-a", "ve-b", a, 0));
        dp.links().addAddress(a, "ve-b", LinkAddress.parse("10.30.0.2/24"));

        dp.links().moveToNetns(a, "ve-b", b);

        assertThat(dp.links().find(a, "ve-b")).isEmpty();
        assertThat(ipv4(dp.links().addresses(b, "ve-b"))).isEmpty();
    }

    @Test
    void routesNeedAnUpDeviceAndAReachableGateway() {
        dp.links().createVeth(a, new VethSpec("ve-a", "ve-b", b, 0));
        dp.links().addAddress(a, "ve-a", LinkAddress.parse("10.40.0.1/24"));
        assertThatThrownBy(() -> dp.routes().add(a, Route.to("10.41.0.0/16").dev("ve-a")))
                .as("device down").isInstanceOf(DataplaneException.class);
        dp.links().setUp(a, "ve-a");

        assertThatThrownBy(() -> dp.routes().add(a, Route.to("10.42.0.0/16").via("10.99.0.1").dev("ve-a")))
                .as("gateway off-link").isInstanceOf(DataplaneException.class);
        dp.routes().add(a, Route.to("10.42.0.0/16").via("10.40.0.9").dev("ve-a"));
        dp.routes().add(a, Route.to("169.254.1.1/32").dev("ve-a").scope(RouteScope.LINK));
        dp.routes().add(a, Route.to("default").via("169.254.1.1").dev("ve-a"));
        dp.routes().replace(a, Route.to("10.43.0.1/32").dev("ve-a").scope(RouteScope.LINK));
        assertThatThrownBy(() -> dp.routes().add(a, Route.to("10.42.0.0/16").via("10.40.0.8").dev("ve-a")))
                .isInstanceOfSatisfying(DataplaneException.class,
                        e -> assertThat(e.kind()).isEqualTo(DataplaneException.Kind.EXISTS));

        assertThat(dp.routes().list(a)).contains(
                Route.to("10.40.0.0/24").dev("ve-a").src("10.40.0.1").scope(RouteScope.LINK),
                Route.to("10.42.0.0/16").via("10.40.0.9").dev("ve-a"),
                Route.to("0.0.0.0/0").via("169.254.1.1").dev("ve-a"),
                Route.to("10.43.0.1/32").dev("ve-a").scope(RouteScope.LINK));

        dp.routes().delete(a, Route.to("10.42.0.0/16"));
        dp.routes().delete(a, Route.to("10.42.0.0/16"));
        assertThat(dp.routes().list(a)).noneMatch(r -> r.dst().equals("10.42.0.0/16"));

        dp.links().setDown(a, "ve-a");
        assertThat(dp.routes().list(a)).as("routes leave with the device").noneMatch(r -> "ve-a".equals(r.dev()));
    }

    @Test
    void vxlanWithFdbAndNeighbours() {
        dp.links().createBridge(a, "under0");
        dp.links().addAddress(a, "under0", LinkAddress.parse("10.50.0.1/24"));
        dp.links().createVxlan(a, new VxlanSpec("vx0", 42, "10.50.0.1", 4789, "under0", 0));
        FdbEntry flood = new FdbEntry(FdbEntry.FLOOD, "vx0", "10.50.0.2");
        dp.fdb().append(a, flood);
        dp.fdb().append(a, new FdbEntry(FdbEntry.FLOOD, "vx0", "10.50.0.3"));
        Neighbour n = new Neighbour("10.244.2.0", "02:00:00:aa:bb:cc", "vx0");
        dp.neighbours().replacePermanent(a, n);
        dp.neighbours().replacePermanent(a, n);

        assertThat(dp.links().find(a, "vx0").orElseThrow().kind()).isEqualTo(LinkKind.VXLAN);
        assertThat(dp.fdb().list(a, "vx0")).contains(flood, new FdbEntry(FdbEntry.FLOOD, "vx0", "10.50.0.3"));
        assertThat(dp.neighbours().list(a, "vx0")).containsExactly(n);

        dp.fdb().delete(a, flood);
        dp.neighbours().delete(a, n);
        assertThat(dp.fdb().list(a, "vx0")).doesNotContain(flood);
        assertThat(dp.neighbours().list(a, "vx0")).isEmpty();
    }

    @Test
    void vethCreatedAttachedAndUpInOneStep() {
        dp.links().createBridge(a, "br0");
        dp.links().createVeth(a, new VethSpec("ve-a", "ve-b", b, 1450).withMacs("02:aa:00:00:00:01", "02:aa:00:00:00:02")
                .withMaster("br0").withState(AdminState.UP));

        Link here = dp.links().find(a, "ve-a").orElseThrow();
        assertThat(here.master()).isEqualTo("br0");
        assertThat(here.up()).isTrue();
        assertThat(here.mac()).isEqualTo("02:aa:00:00:00:01");
        assertThat(dp.links().find(b, "ve-b").orElseThrow().mac()).isEqualTo("02:aa:00:00:00:02");
        assertThatThrownBy(() -> dp.links().createVeth(a, new VethSpec("ve-c", "ve-d", b, 0).withMaster("nosuch")))
                .isInstanceOfSatisfying(DataplaneException.class,
                        e -> assertThat(e.kind()).isEqualTo(DataplaneException.Kind.NOT_FOUND));
    }

    @Test
    void batchAppliesInOrderAndStopsAtTheFirstFailure() {
        dp.links().createVeth(a, new VethSpec("ve-a", "ve-b", b, 0));
        dp.batches().apply(b, List.of(
                new BatchOp.AddAddress("ve-b", LinkAddress.parse("10.60.0.2/24")),
                new BatchOp.SetUp("ve-b"),
                new BatchOp.AddRoute(Route.to("default").via("10.60.0.1").dev("ve-b")),
                new BatchOp.ReplaceRoute(Route.to("10.61.0.0/16").via("10.60.0.1"))));

        assertThat(dp.links().find(b, "ve-b").orElseThrow().up()).isTrue();
        assertThat(dp.routes().list(b)).contains(Route.to("0.0.0.0/0").via("10.60.0.1").dev("ve-b"));

        assertThatThrownBy(() -> dp.batches().apply(b, List.of(
                new BatchOp.AddAddress("ve-b", LinkAddress.parse("10.60.0.3/24")),
                new BatchOp.AddAddress("ve-b", LinkAddress.parse("10.60.0.2/24")),
                new BatchOp.AddAddress("ve-b", LinkAddress.parse("10.60.0.4/24")))))
                .isInstanceOfSatisfying(DataplaneException.class,
                        e -> assertThat(e.kind()).isEqualTo(DataplaneException.Kind.EXISTS));
        assertThat(ipv4(dp.links().addresses(b, "ve-b"))).containsExactlyInAnyOrder(
                LinkAddress.parse("10.60.0.2/24"), LinkAddress.parse("10.60.0.3/24"));
    }

    @Test
    void sysctlsLiveInTheNamespace() {
        dp.sysctls().set(a, "net.ipv4.ip_forward", "1");
        assertThat(dp.sysctls().get(a, "net.ipv4.ip_forward")).isEqualTo("1");
    }

    private static List<LinkAddress> ipv4(List<LinkAddress> addresses) {
        return addresses.stream().filter(LinkAddress::isIpv4).toList();
    }
}
