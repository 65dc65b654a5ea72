package dev.knet.cni.plugin;

import dev.knet.cni.spec.CniResponse;
import dev.knet.dataplane.link.AddressScope;
import dev.knet.dataplane.link.Link;
import dev.knet.dataplane.link.LinkAddress;
import dev.knet.dataplane.route.Route;
import dev.knet.dataplane.route.RouteScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class KnetCniPluginAddTest {

    @TempDir
    Path ipamDir;

    @Test
    void bridgeModeWiresPodToBridgeAndReportsIt() {
        PluginFixture f = new PluginFixture(ipamDir);
        CniResponse r = f.add(f.conf("bridge"));

        assertThat(r.exitCode()).as(r.stdoutText()).isZero();
        String host = HostEndName.of("c1", "eth0");
        JsonNode result = f.json(r);
        assertThat(result.path("cniVersion").asString()).isEqualTo("1.1.0");
        assertThat(result.path("interfaces").get(0).path("name").asString()).isEqualTo(host);
        assertThat(result.path("interfaces").get(0).has("sandbox")).isFalse();
        assertThat(result.path("interfaces").get(1).path("name").asString()).isEqualTo("eth0");
        assertThat(result.path("interfaces").get(1).path("sandbox").asString()).isEqualTo("/run/netns/knet-t-pod1");
        assertThat(result.path("interfaces").get(1).path("mtu").asInt()).isEqualTo(1450);
        assertThat(result.path("ips").get(0).path("address").asString()).isEqualTo("10.244.1.2/24");
        assertThat(result.path("ips").get(0).path("gateway").asString()).isEqualTo("10.244.1.1");
        assertThat(result.path("ips").get(0).path("interface").asInt()).isEqualTo(1);
        assertThat(result.path("routes").get(0).path("dst").asString()).isEqualTo("0.0.0.0/0");

        Link pod = f.fake.links().find(PluginFixture.POD, "eth0").orElseThrow();
        assertThat(pod.up()).isTrue();
        assertThat(pod.mtu()).isEqualTo(1450);
        assertThat(pod.addresses()).containsExactly(LinkAddress.parse("10.244.1.2/24"));
        assertThat(pod.mac()).isEqualTo(result.path("interfaces").get(1).path("mac").asString());
        Link hostLink = f.fake.links().find(PluginFixture.NODE, host).orElseThrow();
        assertThat(hostLink.master()).isEqualTo("knbr0");
        assertThat(hostLink.up()).isTrue();
        Link bridge = f.fake.links().find(PluginFixture.NODE, "knbr0").orElseThrow();
        assertThat(bridge.addresses()).containsExactly(LinkAddress.parse("10.244.1.1/24"));
        assertThat(f.routes(PluginFixture.POD)).contains(Route.to("default").via("10.244.1.1").dev("eth0"));
        assertThat(f.allocated()).containsExactly("10.244.1.2");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bridge", "routed", "cloud"})
    void bigTcpIsOnlyOnWhenAskedFor(String mode) {
        PluginFixture f = new PluginFixture(ipamDir);
        CniResponse r = f.add(f.conf(mode).put("bigTcp", true));

        assertThat(r.exitCode()).as(r.stdoutText()).isZero();
        assertThat(f.fake.links().gsoMaxSize(PluginFixture.POD, "eth0")).isEqualTo(196_608);
        assertThat(f.fake.links().gsoMaxSize(PluginFixture.NODE, HostEndName.of("c1", "eth0"))).isEqualTo(196_608);

        PluginFixture plain = new PluginFixture(ipamDir.resolve("plain"));
        assertThat(plain.add(plain.conf(mode)).exitCode()).isZero();
        assertThat(plain.fake.links().gsoMaxSize(PluginFixture.POD, "eth0")).as("off by default").isZero();
    }

    @Test
    void bigTcpIsRefusedOverVxlan() {
        PluginFixture f = new PluginFixture(ipamDir);

        CniResponse vxlan = new PluginFixture(ipamDir.resolve("other")).add(f.conf("vxlan").put("bigTcp", true));
        assertThat(vxlan.exitCode()).isEqualTo(1);
        assertThat(f.json(vxlan).path("code").asInt()).isEqualTo(dev.knet.cni.spec.CniError.INVALID_CONFIG);
        assertThat(f.json(vxlan).path("msg").asString()).contains("bigTcp", "vxlan");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"routed", "vxlan", "cloud"})
    void routedModesUseLinkLocalGatewayAndHostRoute(String mode) {
        PluginFixture f = new PluginFixture(ipamDir);
        CniResponse r = f.add(f.conf(mode));

        assertThat(r.exitCode()).as(r.stdoutText()).isZero();
        String host = HostEndName.of("c1", "eth0");
        JsonNode result = f.json(r);
        assertThat(result.path("ips").get(0).path("address").asString()).isEqualTo("10.244.1.2/32");
        assertThat(result.path("ips").get(0).path("gateway").asString()).isEqualTo("169.254.1.1");
        assertThat(f.fake.links().find(PluginFixture.POD, "eth0").orElseThrow().addresses())
                .containsExactly(LinkAddress.parse("10.244.1.2/32"));
        assertThat(f.fake.links().find(PluginFixture.NODE, host).orElseThrow().addresses())
                .containsExactly(new LinkAddress("169.254.1.1", 32, AddressScope.LINK));
        assertThat(f.fake.links().find(PluginFixture.NODE, "knbr0")).isEmpty();
        assertThat(f.routes(PluginFixture.POD)).contains(
                Route.to("169.254.1.1/32").dev("eth0").scope(RouteScope.LINK),
                Route.to("default").via("169.254.1.1").dev("eth0"));
        assertThat(f.routes(PluginFixture.NODE)).contains(Route.to("10.244.1.2/32").dev(host).scope(RouteScope.LINK));
        assertThat(f.fake.sysctls().get(PluginFixture.NODE, "net.ipv4.ip_forward")).isEqualTo("1");
    }

    @Test
    void ipsCapabilityOverridesIpam() {
        PluginFixture f = new PluginFixture(ipamDir);
        ObjectNode conf = f.conf("bridge");
        conf.remove("ipam");
        conf.putObject("runtimeConfig").putArray("ips").add("10.244.7.9/24");

        CniResponse r = f.add(conf);

        assertThat(r.exitCode()).as(r.stdoutText()).isZero();
        assertThat(f.json(r).path("ips").get(0).path("address").asString()).isEqualTo("10.244.7.9/24");
        assertThat(f.json(r).path("ips").get(0).path("gateway").asString()).isEqualTo("10.244.7.1");
        assertThat(f.fake.links().find(PluginFixture.POD, "eth0").orElseThrow().addresses())
                .containsExactly(LinkAddress.parse("10.244.7.9/24"));
    }

    @Test
    void secondPodGetsNextAddressOnSameBridge() {
        PluginFixture f = new PluginFixture(ipamDir);
        f.fake.netns().create("knet-t-pod2");
        assertThat(f.add(f.conf("bridge")).exitCode()).isZero();

        CniResponse r = f.call("ADD", f.conf("bridge"), "c2", "/run/netns/knet-t-pod2");

        assertThat(r.exitCode()).as(r.stdoutText()).isZero();
        assertThat(f.json(r).path("ips").get(0).path("address").asString()).isEqualTo("10.244.1.3/24");
        assertThat(f.hostEnds()).hasSize(2);
    }

    @Test
    void repeatedAddFailsWithoutDisturbingTheExistingAttachment() {
        PluginFixture f = new PluginFixture(ipamDir);
        assertThat(f.add(f.conf("bridge")).exitCode()).isZero();

        CniResponse again = f.add(f.conf("bridge"));

        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(f.hostEnds()).containsExactly(HostEndName.of("c1", "eth0"));
        assertThat(f.fake.links().find(PluginFixture.POD, "eth0")).isPresent();
        assertThat(f.allocated()).containsExactly("10.244.1.2");
    }
}
