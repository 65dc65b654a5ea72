package dev.knet.cni.lab;

import dev.knet.cni.plugin.HostEndName;
import dev.knet.cni.plugin.KnetCniPlugin;
import dev.knet.cni.spec.CniError;
import dev.knet.cni.spec.CniResponse;
import dev.knet.dataplane.route.Route;
import dev.knet.dataplane.route.RouteScope;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real ADD that fails half-way on the agent's in-process dataplane undoes its own work (CNI spec):
 * the veth pair and the node's addresses and routes were made, the pod-side batch is refused by
 * the kernel, and afterwards nothing of the attachment is left and its address is free again.
 */
@Tag("lab")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RollbackLabTest {

    @TempDir
    Path ipamDir;

    @Test
    void failedPodBatchLeavesNothingBehind() {
        try (Lab lab = Lab.open()) {
            KnetCniPlugin plugin = new KnetCniPlugin(lab.dp);
            ObjectNode conf = KnetPluginLabTest.JSON.createObjectNode().put("cniVersion", "1.1.0").put("name", "knet")
                    .put("type", "knet").put("mode", "routed").put("nodeNetns", lab.node);
            conf.putObject("ipam").put("type", "host-local").put("subnet", "10.244.1.0/24")
                    .put("dataDir", ipamDir.toString());
            // the pod already routes the gateway elsewhere: the pod batch's "add 169.254.1.1/32" is EEXIST
            Route squatter = Route.to("169.254.1.1/32").dev("lo").scope(RouteScope.LINK);
            lab.dp.routes().add(lab.pod, squatter);

            CniResponse failed = KnetPluginLabTest.call(plugin, "ADD", conf, lab);

            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(failed.stdoutText()).contains("\"code\":" + CniError.DATAPLANE_FAILED);
            assertThat(lab.dp.links().find(lab.node, HostEndName.of("ctr-1", "eth0"))).as("host end").isEmpty();
            assertThat(lab.dp.links().find(lab.pod, "eth0")).as("pod end").isEmpty();
            assertThat(lab.dp.routes().list(lab.node)).as("node route to the pod")
                    .noneMatch(r -> r.dst().equals("10.244.1.2/32"));
            assertThat(ipamDir.resolve("knet").resolve("last_reserved_ip.0")).as("the address was taken")
                    .hasContent("10.244.1.2");
            assertThat(ipamDir.resolve("knet").resolve("10.244.1.2")).as("and released").doesNotExist();

            lab.dp.routes().delete(lab.pod, squatter);
            CniResponse retried = KnetPluginLabTest.call(plugin, "ADD", conf, lab);
            assertThat(retried.exitCode()).as(retried.stdoutText()).isZero();
            assertThat(lab.dp.links().find(lab.pod, "eth0").orElseThrow().addresses()).as("the retry is wired")
                    .anyMatch(a -> a.isIpv4() && a.prefixLength() == 32);
            assertThat(KnetPluginLabTest.call(plugin, "DEL", conf, lab).exitCode()).isZero();
        }
    }
}
