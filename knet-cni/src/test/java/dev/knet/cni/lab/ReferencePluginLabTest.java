package dev.knet.cni.lab;

import dev.knet.cni.runtime.CniRuntime;
import dev.knet.cni.runtime.ProcessPluginExec;
import dev.knet.cni.runtime.RuntimeConf;
import dev.knet.cni.spec.CniResult;
import dev.knet.cni.spec.NetworkConfigList;
import dev.knet.dataplane.link.LinkAddress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference bridge + host-local plugins driven by knet's runtime. They configure "the host",
 * so they run under {@code ip netns exec NODE}: the bridge lands in the lab node namespace.
 */
@Tag("lab")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReferencePluginLabTest {

    static final Path REFERENCE = Path.of("/usr/lib/cni");

    @TempDir
    Path tmp;

    static NetworkConfigList conflist(Path dataDir) {
        return NetworkConfigList.parse("""
                {"cniVersion":"1.0.0","name":"refnet","plugins":[{"type":"bridge","bridge":"knref0",
                  "isGateway":true,"ipMasq":false,"mtu":1400,
                  "ipam":{"type":"host-local","subnet":"10.250.0.0/24","dataDir":"%s"}}]}""".formatted(dataDir));
    }

    @Test
    void bridgeAndHostLocalThroughTheRuntime() throws Exception {
        Lab.assumeLab();
        Assumptions.assumeTrue(Files.isExecutable(REFERENCE.resolve("bridge")) && Files.isExecutable(REFERENCE.resolve("host-local")),
                "lab test skipped: reference plugins (containernetworking-plugins) are not installed");
        try (Lab lab = Lab.open()) {
            CniRuntime runtime = new CniRuntime(List.of(REFERENCE), tmp.resolve("cache"), ProcessPluginExec.inNetns(lab.node));
            NetworkConfigList list = conflist(tmp.resolve("ipam"));
            RuntimeConf rt = RuntimeConf.of("ref-1", lab.podPath(), "eth0");

            CniResult result = runtime.addNetworkList(list, rt);

            assertThat(result.ips()).extracting(CniResult.Ip::address).containsExactly("10.250.0.2/24");
            assertThat(lab.dp.links().find(lab.node, "knref0")).as("bridge inside the node namespace").isPresent();
            assertThat(lab.dp.links().find(lab.pod, "eth0").orElseThrow().addresses())
                    .contains(LinkAddress.parse("10.250.0.2/24"));
            assertThat(Lab.ping(lab.pod, "10.250.0.1")).as("pod pings the bridge gateway").isTrue();
            runtime.checkNetworkList(list, rt);

            runtime.delNetworkList(list, rt);

            assertThat(lab.dp.links().find(lab.pod, "eth0")).isEmpty();
            assertThat(runtime.cachedResult("refnet", "ref-1", "eth0")).isEmpty();
        }
    }
}
