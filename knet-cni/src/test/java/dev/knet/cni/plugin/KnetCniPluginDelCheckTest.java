package dev.knet.cni.plugin;

import dev.knet.cni.spec.CniError;
import dev.knet.cni.spec.CniResponse;
import dev.knet.dataplane.link.LinkAddress;
import dev.knet.dataplane.route.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

class KnetCniPluginDelCheckTest {

    @TempDir
    Path ipamDir;

    @Test
    void delRemovesEverythingAndFreesTheAddress() {
        PluginFixture f = new PluginFixture(ipamDir);
        assertThat(f.add(f.conf("routed")).exitCode()).isZero();

        CniResponse r = f.del(f.conf("routed"));

        assertThat(r.exitCode()).as(r.stdoutText()).isZero();
        assertThat(r.stdoutText()).isEmpty();
        assertThat(f.hostEnds()).isEmpty();
        assertThat(f.fake.links().find(PluginFixture.POD, "eth0")).isEmpty();
        assertThat(f.routes(PluginFixture.NODE)).noneMatch(route -> route.dst().equals("10.244.1.2/32"));
        assertThat(f.allocated()).isEmpty();
    }

    static Stream<Arguments> idempotentDeletes() {
        return Stream.<Arguments>of(
                argumentSet("DEL twice", (Consumer<PluginFixture>) f -> f.del(f.conf("bridge"))),
                argumentSet("pod namespace already gone", (Consumer<PluginFixture>) f -> f.fake.netns().delete(PluginFixture.POD)),
                argumentSet("node namespace gone", (Consumer<PluginFixture>) f -> f.fake.netns().delete(PluginFixture.NODE)),
                argumentSet("links already gone", (Consumer<PluginFixture>) f ->
                        f.fake.links().delete(PluginFixture.NODE, HostEndName.of("c1", "eth0"))));
    }

    @ParameterizedTest
    @MethodSource("idempotentDeletes")
    void delIsIdempotent(Consumer<PluginFixture> before) {
        PluginFixture f = new PluginFixture(ipamDir);
        assertThat(f.add(f.conf("bridge")).exitCode()).isZero();
        before.accept(f);

        CniResponse r = f.del(f.conf("bridge"));

        assertThat(r.exitCode()).as(r.stdoutText()).isZero();
        assertThat(f.allocated()).isEmpty();
    }

    @Test
    void delWithoutNetnsOrEarlierAddSucceeds() {
        PluginFixture f = new PluginFixture(ipamDir);
        assertThat(f.call("DEL", f.conf("bridge"), "never-added", null).exitCode()).isZero();
    }

    @Test
    void delWithANetnsPathKnetCannotUseStillCleansUp() {
        PluginFixture f = new PluginFixture(ipamDir);
        assertThat(f.add(f.conf("bridge")).exitCode()).isZero();

        CniResponse r = f.call("DEL", f.conf("bridge"), "c1", "/var/run/docker/netns/abc");

        assertThat(r.exitCode()).as(r.stdoutText()).isZero();
        assertThat(f.hostEnds()).isEmpty();
        assertThat(f.allocated()).isEmpty();
    }

    @Test
    void checkPassesOnAFreshAttachment() {
        PluginFixture f = new PluginFixture(ipamDir);
        for (String mode : new String[] {"bridge", "routed"}) {
            CniResponse add = f.add(f.conf(mode));
            ObjectNode conf = f.conf(mode);
            conf.set("prevResult", f.json(add));
            CniResponse check = f.call("CHECK", conf, "c1", "/run/netns/" + PluginFixture.POD);
            assertThat(check.exitCode()).as(mode + ": " + check.stdoutText()).isZero();
            f.del(f.conf(mode));
        }
    }

    static Stream<Arguments> damage() {
        String host = HostEndName.of("c1", "eth0");
        return Stream.<Arguments>of(
                argumentSet("bridge: pod address removed", "bridge", (Consumer<PluginFixture>) f -> f.fake.links()
                        .deleteAddress(PluginFixture.POD, "eth0", LinkAddress.parse("10.244.1.2/24"))),
                argumentSet("bridge: default route removed", "bridge", (Consumer<PluginFixture>) f -> f.fake.routes()
                        .delete(PluginFixture.POD, Route.to("default"))),
                argumentSet("bridge: pod end down", "bridge", (Consumer<PluginFixture>) f -> f.fake.links()
                        .setDown(PluginFixture.POD, "eth0")),
                argumentSet("bridge: host end detached", "bridge", (Consumer<PluginFixture>) f -> {
                    f.fake.links().delete(PluginFixture.NODE, "knbr0");
                }),
                argumentSet("routed: node route removed", "routed", (Consumer<PluginFixture>) f -> f.fake.routes()
                        .delete(PluginFixture.NODE, Route.to("10.244.1.2/32"))),
                argumentSet("routed: pod address removed", "routed", (Consumer<PluginFixture>) f -> f.fake.links()
                        .deleteAddress(PluginFixture.POD, "eth0", LinkAddress.parse("10.244.1.2/32"))),
                argumentSet("routed: host end gone", "routed", (Consumer<PluginFixture>) f -> f.fake.links()
                        .delete(PluginFixture.NODE, host)));
    }

    @ParameterizedTest
    @MethodSource("damage")
    void checkDetectsDamage(String mode, Consumer<PluginFixture> damage) {
        PluginFixture f = new PluginFixture(ipamDir);
        CniResponse add = f.add(f.conf(mode));
        damage.accept(f);
        ObjectNode conf = f.conf(mode);
        conf.set("prevResult", f.json(add));

        CniResponse check = f.call("CHECK", conf, "c1", "/run/netns/" + PluginFixture.POD);

        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(f.json(check).path("code").asInt()).isEqualTo(CniError.CHECK_FAILED);
        assertThat(f.json(check).path("msg").asString()).startsWith("CHECK failed: ");
    }

    @Test
    void gcRemovesAttachmentsThatAreNoLongerValid() {
        PluginFixture f = new PluginFixture(ipamDir);
        f.fake.netns().create("knet-t-pod2");
        assertThat(f.add(f.conf("bridge")).exitCode()).isZero();
        assertThat(f.call("ADD", f.conf("bridge"), "c2", "/run/netns/knet-t-pod2").exitCode()).isZero();
        ObjectNode conf = f.conf("bridge");
        ArrayNode valid = conf.putArray("cni.dev/valid-attachments");
        valid.addObject().put("containerID", "c1").put("ifname", "eth0");

        CniResponse gc = f.call("GC", conf, "", null);

        assertThat(gc.exitCode()).as(gc.stdoutText()).isZero();
        assertThat(f.hostEnds()).containsExactly(HostEndName.of("c1", "eth0"));
        assertThat(f.allocated()).containsExactly("10.244.1.2");
        assertThat(f.fake.links().find("knet-t-pod2", "eth0")).isEmpty();
    }
}
