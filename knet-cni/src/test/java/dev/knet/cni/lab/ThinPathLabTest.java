package dev.knet.cni.lab;

import dev.knet.cni.plugin.KnetCniPlugin;
import dev.knet.cni.runtime.CniRuntime;
import dev.knet.cni.runtime.ProcessPluginExec;
import dev.knet.cni.runtime.RuntimeConf;
import dev.knet.cni.server.KnetCniServer;
import dev.knet.cni.spec.CniResult;
import dev.knet.cni.spec.NetworkConfigList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The installed launcher as a real CNI plugin process: forwarded to a server, then standalone. */
@Tag("lab")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ThinPathLabTest {

    @TempDir
    Path tmp;

    @Test
    void launcherForwardsToTheServerAndFallsBackWithoutIt() {
        try (Lab lab = Lab.open()) {
            Path bin = tmp.resolve("bin");
            Lab.installLauncher(bin);
            Path socket = tmp.resolve("cni.sock");
            NetworkConfigList list = NetworkConfigList.parse("""
                    {"cniVersion":"1.1.0","name":"knet","plugins":[{"type":"knet","mode":"bridge","nodeNetns":"%s",
                      "ipam":{"type":"host-local","subnet":"10.244.3.0/24","dataDir":"%s"}}]}"""
                    .formatted(lab.node, tmp.resolve("ipam")));
            CniRuntime runtime = new CniRuntime(List.of(bin), tmp.resolve("cache"),
                    ProcessPluginExec.direct().withEnv(Map.of(KnetCniPlugin.SOCKET_ENV, socket.toString())));
            RuntimeConf rt = RuntimeConf.of("thin-1", lab.podPath(), "eth0");
            KnetCniPlugin plugin = new KnetCniPlugin(lab.dp);
            AtomicInteger served = new AtomicInteger();

            try (KnetCniServer server = KnetCniServer.start(socket, r -> {
                served.incrementAndGet();
                return plugin.handle(r);
            })) {
                CniResult result = runtime.addNetworkList(list, rt);
                assertThat(result.ips().getFirst().address()).isEqualTo("10.244.3.2/24");
                runtime.delNetworkList(list, rt);
            }
            assertThat(served).as("calls the server answered").hasValue(2);
            assertThat(lab.dp.links().find(lab.pod, "eth0")).isEmpty();

            CniResult standalone = runtime.addNetworkList(list, rt);
            // host-local style round robin: the next address, not the one just freed
            assertThat(standalone.ips().getFirst().address()).isEqualTo("10.244.3.3/24");
            assertThat(lab.dp.links().find(lab.pod, "eth0")).isPresent();
            runtime.delNetworkList(list, rt);
            assertThat(lab.dp.links().find(lab.pod, "eth0")).isEmpty();
            assertThat(served).as("no server: the plugin ran in its own JVM").hasValue(2);
        }
    }
}
