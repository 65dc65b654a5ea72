package dev.knet.cni.plugin;

import dev.knet.cni.spec.CniError;
import dev.knet.cni.spec.CniRequest;
import dev.knet.cni.spec.CniResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

class KnetCniPluginErrorsTest {

    @TempDir
    Path ipamDir;

    /** Each row turns a valid ADD into a broken one; the plugin must answer with the spec's code. */
    static Stream<Arguments> brokenAdds() {
        return Stream.of(
                argumentSet("no container id", 4, (Function<PluginFixture, CniResponse>) f -> f.call("ADD", f.conf("bridge"), "", "/run/netns/" + PluginFixture.POD)),
                argumentSet("no netns", 4, (Function<PluginFixture, CniResponse>) f -> f.call("ADD", f.conf("bridge"), "c1", null)),
                argumentSet("netns outside /run/netns", 4, (Function<PluginFixture, CniResponse>) f -> f.call("ADD", f.conf("bridge"), "c1", "/proc/1/ns/net")),
                argumentSet("pod netns missing", 3, (Function<PluginFixture, CniResponse>) f -> f.call("ADD", f.conf("bridge"), "c1", "/run/netns/knet-t-gone")),
                argumentSet("node netns missing", 11, (Function<PluginFixture, CniResponse>) f -> f.add(f.conf("bridge").put("nodeNetns", "knet-t-nonode"))),
                argumentSet("node netns not knet", 7, (Function<PluginFixture, CniResponse>) f -> f.add(f.conf("bridge").put("nodeNetns", "default"))),
                argumentSet("unknown mode", 7, (Function<PluginFixture, CniResponse>) f -> f.add(f.conf("bridge").put("mode", "ipvlan"))),
                argumentSet("mtu too small", 7, (Function<PluginFixture, CniResponse>) f -> f.add(f.conf("bridge").put("mtu", 100))),
                argumentSet("no address source", 7, (Function<PluginFixture, CniResponse>) f -> {
                    ObjectNode c = f.conf("bridge");
                    c.remove("ipam");
                    return f.add(c);
                }),
                argumentSet("unsupported version", 1, (Function<PluginFixture, CniResponse>) f -> f.add(f.conf("bridge").put("cniVersion", "0.3.1"))),
                argumentSet("not JSON", 6, (Function<PluginFixture, CniResponse>) f -> f.plugin.handle(new CniRequest(
                        Map.of(CniRequest.COMMAND, "ADD"), "{not json".getBytes(StandardCharsets.UTF_8)))),
                argumentSet("unknown command", 4, (Function<PluginFixture, CniResponse>) f -> f.call("FROB", f.conf("bridge"), "c1", null)));
    }

    @ParameterizedTest
    @MethodSource("brokenAdds")
    void errorsCarryTheSpecCode(int code, Function<PluginFixture, CniResponse> call) {
        PluginFixture f = new PluginFixture(ipamDir);

        CniResponse r = call.apply(f);

        assertThat(r.exitCode()).isEqualTo(1);
        JsonNode error = f.json(r);
        assertThat(error.path("code").asInt()).as(r.stdoutText()).isEqualTo(code);
        assertThat(error.path("msg").asString()).isNotBlank();
        assertThat(error.path("cniVersion").asString()).isNotBlank();
        assertThat(f.hostEnds()).isEmpty();
    }

    @Test
    void ipamExhaustionIsReported() {
        PluginFixture f = new PluginFixture(ipamDir);
        f.fake.netns().create("knet-t-pod2");
        ObjectNode conf = f.conf("bridge");
        ((ObjectNode) conf.get("ipam")).put("subnet", "10.244.9.0/30");
        assertThat(f.add(conf).exitCode()).isZero();

        CniResponse r = f.call("ADD", conf, "c2", "/run/netns/knet-t-pod2");

        assertThat(f.json(r).path("code").asInt()).isEqualTo(CniError.IPAM_EXHAUSTED);
        assertThat(f.fake.links().find("knet-t-pod2", "eth0")).isEmpty();
    }

    @Test
    void versionListsSupportedVersions() {
        PluginFixture f = new PluginFixture(ipamDir);
        CniResponse r = f.plugin.handle(new CniRequest(Map.of(CniRequest.COMMAND, "VERSION"),
                "{\"cniVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8)));

        assertThat(r.exitCode()).isZero();
        assertThat(r.stdoutText()).isEqualTo("{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"0.4.0\",\"1.0.0\",\"1.1.0\"]}");
    }

    @Test
    void statusReportsNodeAvailability() {
        PluginFixture f = new PluginFixture(ipamDir);
        assertThat(f.call("STATUS", f.conf("bridge"), "", null).exitCode()).isZero();

        CniResponse missing = f.call("STATUS", f.conf("bridge").put("nodeNetns", "knet-t-nonode"), "", null);
        assertThat(f.json(missing).path("code").asInt()).isEqualTo(CniError.NOT_AVAILABLE);

        CniResponse old = f.call("STATUS", f.conf("bridge").put("cniVersion", "1.0.0"), "", null);
        assertThat(f.json(old).path("code").asInt()).isEqualTo(CniError.INCOMPATIBLE_VERSION);
        assertThat(f.json(old).path("cniVersion").asString()).isEqualTo("1.0.0");
    }
}
