package dev.knet.cni.plugin;

import dev.knet.cni.spec.CniError;
import dev.knet.cni.spec.CniResponse;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/** A failure at each dataplane step of ADD leaves no pod state behind, and a retry then succeeds. */
class KnetCniPluginRollbackTest {

    @TempDir
    Path ipamDir;

    static Stream<Arguments> steps() {
        return Stream.of(
                argumentSet("bridge: first veth attempt", "bridge", "links.createVeth", 1),
                argumentSet("bridge: create bridge", "bridge", "links.createBridge", 1),
                argumentSet("bridge: bring bridge up", "bridge", "links.setUp", 1),
                argumentSet("bridge: gateway address", "bridge", "links.addAddress", 1),
                argumentSet("bridge: veth after bridge", "bridge", "links.createVeth", 2),
                argumentSet("bridge: pod batch", "bridge", "batch.apply", 1),
                argumentSet("bridge: pod address", "bridge", "links.addAddress", 2),
                argumentSet("bridge: pod end up", "bridge", "links.setUp", 2),
                argumentSet("bridge: pod default route", "bridge", "routes.add", 1),
                argumentSet("routed: ip_forward", "routed", "sysctls.set", 1),
                argumentSet("routed: create veth", "routed", "links.createVeth", 1),
                argumentSet("routed: node batch", "routed", "batch.apply", 1),
                argumentSet("routed: host gateway address", "routed", "links.addAddress", 1),
                argumentSet("routed: node host route", "routed", "routes.replace", 1),
                argumentSet("routed: pod batch", "routed", "batch.apply", 2),
                argumentSet("routed: pod address", "routed", "links.addAddress", 2),
                argumentSet("routed: pod end up", "routed", "links.setUp", 1),
                argumentSet("routed: pod gateway route", "routed", "routes.add", 1),
                argumentSet("routed: pod default route", "routed", "routes.add", 2),
                argumentSet("vxlan: pod default route", "vxlan", "routes.add", 2),
                argumentSet("cloud: node host route", "cloud", "routes.replace", 1));
    }

    @ParameterizedTest
    @MethodSource("steps")
    void failedAddUndoesItsOwnWork(String mode, String operation, int nth) {
        PluginFixture f = new PluginFixture(ipamDir);
        f.fake.faults().failOn(operation, nth);

        CniResponse r = f.add(f.conf(mode));

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(f.json(r).path("code").asInt()).isEqualTo(CniError.DATAPLANE_FAILED);
        assertThat(f.json(r).path("msg").asString()).contains("injected failure in " + operation);
        assertThat(f.hostEnds()).as("host ends").isEmpty();
        assertThat(f.fake.links().find(PluginFixture.POD, "eth0")).as("pod eth0").isEmpty();
        assertThat(f.routes(PluginFixture.NODE)).as("node routes")
                .noneMatch(route -> route.dst().endsWith("/32") || HostEndName.isHostEnd(String.valueOf(route.dev())));
        assertThat(f.routes(PluginFixture.POD)).as("pod routes").isEmpty();
        assertThat(f.allocated()).as("IPAM").isEmpty();

        CniResponse retry = f.add(f.conf(mode));
        assertThat(retry.exitCode()).as(retry.stdoutText()).isZero();
    }
}
