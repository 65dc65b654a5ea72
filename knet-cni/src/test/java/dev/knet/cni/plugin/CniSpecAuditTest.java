package dev.knet.cni.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.knet.cni.spec.CniError;
import dev.knet.cni.spec.CniRequest;
import dev.knet.cni.spec.CniResponse;
import dev.knet.cni.spec.CniVersions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The CNI 1.1 contract, command by command, beside the per-area tests (add, del/check, errors, rollback):
 * what every command answers on success, and the spec's error code and version on each failure the
 * other tests do not already cover.
 */
class CniSpecAuditTest {

    @TempDir
    Path ipamDir;

    private static final String POD_PATH = "/run/netns/" + PluginFixture.POD;

    /** ADDs c1 in routed mode and returns a config carrying that result as prevResult. */
    private static ObjectNode added(PluginFixture f) {
        CniResponse add = f.add(f.conf("routed"));
        assertThat(add.exitCode()).as(add.stdoutText()).isZero();
        ObjectNode conf = f.conf("routed");
        conf.set("prevResult", f.json(add));
        return conf;
    }

    /** Each row: a command in a situation, the error code the spec (or knet's documented range) wants. */
    static Stream<Arguments> failures() {
        return Stream.of(
                argumentSet("CHECK without prevResult", CniError.INVALID_CONFIG,
                        (Function<PluginFixture, CniResponse>) f -> {
                            f.add(f.conf("routed"));
                            return f.call("CHECK", f.conf("routed"), "c1", POD_PATH);
                        }),
                argumentSet("CHECK of a container whose netns is gone", CniError.UNKNOWN_CONTAINER,
                        (Function<PluginFixture, CniResponse>) f -> {
                            ObjectNode conf = added(f);
                            f.fake.netns().delete(PluginFixture.POD);
                            return f.call("CHECK", conf, "c1", POD_PATH);
                        }),
                argumentSet("CHECK of an attachment that was never added", CniError.CHECK_FAILED,
                        (Function<PluginFixture, CniResponse>) f -> {
                            ObjectNode conf = added(f);
                            f.del(f.conf("routed"));
                            return f.call("CHECK", conf, "c1", POD_PATH);
                        }),
                argumentSet("CHECK with a cniVersion the plugin does not speak", CniError.INCOMPATIBLE_VERSION,
                        (Function<PluginFixture, CniResponse>) f -> f.call("CHECK",
                                f.conf("routed").put("cniVersion", "0.3.1"), "c1", POD_PATH)),
                argumentSet("GC before cniVersion 1.1.0", CniError.INCOMPATIBLE_VERSION,
                        (Function<PluginFixture, CniResponse>) f -> f.call("GC",
                                f.conf("routed").put("cniVersion", "1.0.0"), "", null)),
                argumentSet("DEL with a config that is not JSON", CniError.DECODE,
                        (Function<PluginFixture, CniResponse>) f -> f.plugin.handle(new CniRequest(Map.of(
                                CniRequest.COMMAND, "DEL", CniRequest.CONTAINER_ID, "c1", CniRequest.IFNAME, "eth0"),
                                "[1,2".getBytes(StandardCharsets.UTF_8)))),
                argumentSet("DEL without a container id", CniError.INVALID_ENVIRONMENT,
                        (Function<PluginFixture, CniResponse>) f -> f.call("DEL", f.conf("routed"), "", POD_PATH)),
                argumentSet("DEL with an invalid config", CniError.INVALID_CONFIG,
                        (Function<PluginFixture, CniResponse>) f -> f.call("DEL",
                                f.conf("routed").put("mode", "ipvlan"), "c1", POD_PATH)));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void failuresAnswerWithTheSpecErrorObject(int code, Function<PluginFixture, CniResponse> call) {
        PluginFixture f = new PluginFixture(ipamDir);

        CniResponse r = call.apply(f);

        assertThat(r.exitCode()).as(r.stdoutText()).isEqualTo(1);
        JsonNode error = f.json(r);
        assertThat(error.path("code").asInt()).as(r.stdoutText()).isEqualTo(code);
        assertThat(error.path("msg").asString()).isNotBlank();
        assertThat(error.path("cniVersion").isString()).isTrue();
        assertThat(error.propertyNames()).allMatch(n -> n.equals("cniVersion") || n.equals("code")
                || n.equals("msg") || n.equals("details"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.4.0", "1.0.0", "1.1.0"})
    void addAnswersTheSpecResultInTheConfigsVersion(String version) {
        PluginFixture f = new PluginFixture(ipamDir);

        CniResponse r = f.add(f.conf("routed").put("cniVersion", version));

        assertThat(r.exitCode()).as(r.stdoutText()).isZero();
        JsonNode result = f.json(r);
        assertThat(result.path("cniVersion").asString()).isEqualTo(version);
        JsonNode interfaces = result.path("interfaces");
        int podIndex = -1;
        for (int i = 0; i < interfaces.size(); i++) {
            if (POD_PATH.equals(interfaces.get(i).path("sandbox").asString(""))) {
                podIndex = i;
            }
        }
        assertThat(podIndex).as("an interface in the pod's sandbox").isNotNegative();
        assertThat(interfaces.get(podIndex).path("name").asString()).isEqualTo("eth0");
        assertThat(interfaces.get(podIndex).path("mac").asString()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
        assertThat(result.path("ips")).hasSize(1);
        assertThat(result.path("ips").get(0).path("address").asString()).isEqualTo("10.244.1.2/32");
        assertThat(result.path("ips").get(0).path("interface").asInt()).isEqualTo(podIndex);
        assertThat(result.path("routes").findValuesAsString("dst")).contains("0.0.0.0/0");
    }

    @Test
    void checkAndDelOfAGoodAttachmentPrintNothing() {
        PluginFixture f = new PluginFixture(ipamDir);
        ObjectNode conf = added(f);

        CniResponse check = f.call("CHECK", conf, "c1", POD_PATH);
        CniResponse del = f.call("DEL", conf, "c1", POD_PATH);
        CniResponse again = f.call("DEL", conf, "c1", POD_PATH);

        assertThat(check.exitCode()).as(check.stdoutText()).isZero();
        assertThat(check.stdout()).isEmpty();
        assertThat(del.exitCode()).isZero();
        assertThat(del.stdout()).isEmpty();
        assertThat(again.exitCode()).as("DEL is idempotent").isZero();
        assertThat(f.allocated()).isEmpty();
    }

    @Test
    void versionWithoutAConfigAnswersTheCurrentVersion() {
        PluginFixture f = new PluginFixture(ipamDir);

        CniResponse r = f.plugin.handle(new CniRequest(Map.of(CniRequest.COMMAND, "VERSION"), new byte[0]));

        assertThat(r.exitCode()).isZero();
        assertThat(f.json(r).path("cniVersion").asString()).isEqualTo(CniVersions.CURRENT);
        assertThat(f.json(r).path("supportedVersions").toString()).contains("\"1.1.0\"");
    }

    @Test
    void statusAndGcOfAHealthyNodeSucceedSilently() {
        PluginFixture f = new PluginFixture(ipamDir);
        f.add(f.conf("routed"));
        ObjectNode gcConf = f.conf("routed");
        gcConf.putArray("cni.dev/valid-attachments").addObject().put("containerID", "c1").put("ifname", "eth0");

        CniResponse status = f.call("STATUS", f.conf("routed"), "", null);
        CniResponse gc = f.call("GC", gcConf, "", null);

        assertThat(status.exitCode()).isZero();
        assertThat(status.stdout()).isEmpty();
        assertThat(gc.exitCode()).as(gc.stdoutText()).isZero();
        assertThat(f.hostEnds()).as("a valid attachment survives GC").containsExactly(HostEndName.of("c1", "eth0"));
    }
}
