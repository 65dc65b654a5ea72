package dev.knet.cni.runtime;

import dev.knet.cni.spec.Attachment;
import dev.knet.cni.spec.CniError;
import dev.knet.cni.spec.CniException;
import dev.knet.cni.spec.CniResult;
import dev.knet.cni.spec.NetworkConfigList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CniRuntimeTest {

    static final String FIRST_RESULT = """
            {"cniVersion":"1.1.0","interfaces":[{"name":"br0"}],"ips":[{"address":"10.1.0.2/24","gateway":"10.1.0.1","interface":0}]}""";
    static final String SECOND_RESULT = """
            {"cniVersion":"1.1.0","interfaces":[{"name":"br0"}],"ips":[{"address":"10.1.0.2/24","gateway":"10.1.0.1","interface":0}],"dns":{"nameservers":["10.96.0.10"]}}""";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;
    ScriptPlugins plugins;
    CniRuntime runtime;

    @BeforeEach
    void setUp() throws Exception {
        plugins = new ScriptPlugins(dir);
        plugins.recorder("first", FIRST_RESULT);
        plugins.recorder("second", SECOND_RESULT);
        runtime = new CniRuntime(List.of(dir.resolve("empty"), plugins.bin), dir.resolve("cache"), ProcessPluginExec.direct());
    }

    static NetworkConfigList list(String version) {
        return NetworkConfigList.parse("""
                {"cniVersion":"%s","name":"net1","plugins":[
                  {"type":"first","foo":1,"capabilities":{"ips":true}},
                  {"type":"second"}]}""".formatted(version));
    }

    static RuntimeConf rt() {
        return RuntimeConf.of("ctr1", "/run/netns/knet-x-pod", "eth0").withArg("K8S_POD_NAME", "p1")
                .withArg("IgnoreUnknown", "1").withCapability("ips", List.of("10.1.0.9/24"))
                .withCapability("portMappings", List.of());
    }

    @Test
    void addChainsPluginsInOrderWithTheProtocolEnvironment() {
        CniResult result = runtime.addNetworkList(list("1.1.0"), rt());

        assertThat(plugins.calls()).containsExactly("first-ADD", "second-ADD");
        assertThat(plugins.env(0)).containsEntry("CNI_COMMAND", "ADD").containsEntry("CNI_CONTAINERID", "ctr1")
                .containsEntry("CNI_NETNS", "/run/netns/knet-x-pod").containsEntry("CNI_IFNAME", "eth0")
                .containsEntry("CNI_ARGS", "K8S_POD_NAME=p1;IgnoreUnknown=1")
                .containsEntry("CNI_PATH", dir.resolve("empty") + ":" + plugins.bin);
        JsonNode first = JSON.readTree(plugins.stdin(0));
        assertThat(first.path("name").asString()).isEqualTo("net1");
        assertThat(first.path("cniVersion").asString()).isEqualTo("1.1.0");
        assertThat(first.path("foo").asInt()).isEqualTo(1);
        assertThat(first.path("runtimeConfig").path("ips").get(0).asString()).isEqualTo("10.1.0.9/24");
        assertThat(first.path("runtimeConfig").has("portMappings")).as("undeclared capability").isFalse();
        assertThat(first.has("prevResult")).isFalse();
        JsonNode second = JSON.readTree(plugins.stdin(1));
        assertThat(second.path("prevResult")).isEqualTo(JSON.readTree(FIRST_RESULT));
        assertThat(second.has("runtimeConfig")).isFalse();
        assertThat(result.dns().nameservers()).containsExactly("10.96.0.10");
        assertThat(result.ips().getFirst().interfaceIndex()).isZero();
    }

    @Test
    void delRunsInReverseWithTheCachedResultAndClearsTheCache() {
        runtime.addNetworkList(list("1.1.0"), rt());
        assertThat(runtime.cachedResult("net1", "ctr1", "eth0")).isPresent();

        runtime.delNetworkList(list("1.1.0"), rt());

        assertThat(plugins.calls()).containsExactly("first-ADD", "second-ADD", "second-DEL", "first-DEL");
        assertThat(JSON.readTree(plugins.stdin(2)).path("prevResult")).isEqualTo(JSON.readTree(SECOND_RESULT));
        assertThat(JSON.readTree(plugins.stdin(3)).path("prevResult")).isEqualTo(JSON.readTree(SECOND_RESULT));
        assertThat(plugins.env(2)).containsEntry("CNI_COMMAND", "DEL");
        assertThat(runtime.cachedResult("net1", "ctr1", "eth0")).isEmpty();
    }

    @Test
    void delWithoutCacheStillCallsEveryPlugin() {
        runtime.delNetworkList(list("1.1.0"), rt());

        assertThat(plugins.calls()).containsExactly("second-DEL", "first-DEL");
        assertThat(JSON.readTree(plugins.stdin(0)).has("prevResult")).isFalse();
    }

    @Test
    void checkPassesTheCachedResultAndNeedsOne() {
        CniException none = catchThrowableOfType(CniException.class, () -> runtime.checkNetworkList(list("1.1.0"), rt()));
        assertThat(none.code()).isEqualTo(CniError.UNKNOWN_CONTAINER);

        runtime.addNetworkList(list("1.1.0"), rt());
        runtime.checkNetworkList(list("1.1.0"), rt());

        assertThat(plugins.calls()).containsExactly("first-ADD", "second-ADD", "first-CHECK", "second-CHECK");
        assertThat(JSON.readTree(plugins.stdin(2)).path("prevResult")).isEqualTo(JSON.readTree(SECOND_RESULT));
    }

    @Test
    void disableCheckSkipsCheck() {
        NetworkConfigList list = NetworkConfigList.parse("""
                {"cniVersion":"1.1.0","name":"net1","disableCheck":true,"plugins":[{"type":"first"}]}""");
        runtime.checkNetworkList(list, rt());
        assertThat(plugins.calls()).isEmpty();
    }

    @Test
    void statusAndGcReachPluginsOnlyFromVersion110() {
        runtime.addNetworkList(list("1.1.0"), rt());
        runtime.addNetworkList(list("1.1.0"), RuntimeConf.of("ctr2", "/run/netns/knet-x-pod2", "eth0"));

        runtime.statusNetworkList(list("1.1.0"));
        runtime.gcNetworkList(list("1.1.0"), List.of(new Attachment("ctr1", "eth0")));
        runtime.statusNetworkList(list("1.0.0"));
        runtime.gcNetworkList(list("1.0.0"), List.of());

        assertThat(plugins.calls()).containsExactly("first-ADD", "second-ADD", "first-ADD", "second-ADD",
                "first-STATUS", "second-STATUS", "first-GC", "second-GC");
        assertThat(plugins.env(4)).containsOnlyKeys("CNI_COMMAND", "CNI_PATH");
        JsonNode gc = JSON.readTree(plugins.stdin(6));
        assertThat(gc.path("cni.dev/valid-attachments"))
                .isEqualTo(JSON.readTree("[{\"containerID\":\"ctr1\",\"ifname\":\"eth0\"}]"));
        assertThat(runtime.cachedResult("net1", "ctr1", "eth0")).isPresent();
        assertThat(runtime.cachedResult("net1", "ctr2", "eth0")).as("stale cache entry").isEmpty();
    }

    @Test
    void pluginErrorObjectIsPassedThrough() {
        plugins.failing("second", CniError.TRY_AGAIN_LATER);

        CniException e = catchThrowableOfType(CniException.class, () -> runtime.addNetworkList(list("1.1.0"), rt()));

        assertThat(e.error()).isEqualTo(new CniError("1.1.0", 11, "no can do", "because"));
        assertThat(runtime.cachedResult("net1", "ctr1", "eth0")).isEmpty();
    }

    @Test
    void crashWithoutErrorObjectKeepsStderr() {
        plugins.crashing("first");

        CniException e = catchThrowableOfType(CniException.class, () -> runtime.addNetworkList(list("1.1.0"), rt()));

        assertThat(e.code()).isEqualTo(CniError.IO_FAILURE);
        assertThat(e.error().details()).contains("panic: runtime error");
    }

    @Test
    void missingPluginIsReported() {
        NetworkConfigList list = NetworkConfigList.parse("""
                {"cniVersion":"1.1.0","name":"net1","plugins":[{"type":"nosuch"}]}""");
        assertThatThrownBy(() -> runtime.addNetworkList(list, rt())).isInstanceOf(CniException.class)
                .hasMessageContaining("failed to find plugin \"nosuch\"");
    }

    @Test
    void inProcessPluginsNeedNoExecutable() {
        List<String> seen = new java.util.ArrayList<>();
        CniRuntime mixed = new CniRuntime(List.of(plugins.bin), dir.resolve("cache2"), new InProcessPluginExec(
                java.util.Map.of("inproc", r -> {
                    seen.add(r.get("CNI_COMMAND") + " " + r.get("CNI_CONTAINERID") + " " + r.stdinText().contains("prevResult"));
                    return dev.knet.cni.spec.CniResponse.success(SECOND_RESULT);
                }), ProcessPluginExec.direct()));
        NetworkConfigList list = NetworkConfigList.parse("""
                {"cniVersion":"1.1.0","name":"net2","plugins":[{"type":"first"},{"type":"inproc"}]}""");

        CniResult result = mixed.addNetworkList(list, rt());

        assertThat(plugins.calls()).containsExactly("first-ADD");
        assertThat(seen).containsExactly("ADD ctr1 true");
        assertThat(result.dns().nameservers()).containsExactly("10.96.0.10");
    }

    @Test
    void versionAsksThePlugin() {
        assertThat(runtime.version("first").supportedVersions()).containsExactly("1.0.0", "1.1.0");
        assertThat(plugins.env(0)).containsEntry("CNI_COMMAND", "VERSION");
    }
}
