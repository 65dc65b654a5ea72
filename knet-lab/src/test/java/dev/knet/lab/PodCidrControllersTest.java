package dev.knet.lab;

import dev.knet.control.config.ClusterConfig;
import dev.knet.dataplane.FakeDataplane;
import dev.knet.dataplane.route.Route;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The controllers follow the Node objects: changed or vanished podCIDRs take their entries with them. */
class PodCidrControllersTest {

    private static final String N1 = "knet-pc-node-1";

    /** Building records the lab's shape here; each test's fake starts empty, so sharing it is harmless. */
    @org.junit.jupiter.api.io.TempDir
    static Path state;

    private static NamespaceLab lab(FakeDataplane fake, LabMode mode, int nodes) {
        return new NamespaceLab(new LabOptions("pc", nodes, mode, false), fake.dataplane(), null, state);
    }

    @ParameterizedTest(name = "{0}: a moved podCIDR replaces the old entries")
    @EnumSource(value = LabMode.class, names = {"ROUTED", "VXLAN", "CLOUD"})
    void movedPodCidrReplacesEntries(LabMode mode) {
        FakeDataplane fake = new FakeDataplane();
        NamespaceLab lab = lab(fake, mode, 3);
        ClusterConfig config = ClusterConfig.withNodes("pc", 3);
        lab.buildNetwork(config);
        List<PodCidrReconciler> controllers = lab.controllers(config);
        String ns = mode == LabMode.CLOUD ? "knet-pc-underlay" : N1;

        controllers.forEach(c -> c.reconcile(Map.of("node-1", "10.244.1.0/24", "node-2", "10.244.2.0/24",
                "node-3", "10.244.3.0/24")));
        controllers.forEach(c -> c.reconcile(Map.of("node-1", "10.244.1.0/24", "node-2", "10.244.7.0/24")));

        assertThat(podDestinations(fake, ns)).contains("10.244.7.0/24")
                .doesNotContain("10.244.2.0/24", "10.244.3.0/24");
        if (mode == LabMode.VXLAN) {
            assertThat(fake.fdb().list(N1, "knvx0")).hasSize(1);
            assertThat(fake.neighbours().list(N1, "knvx0")).extracting(n -> n.ip()).containsExactly("10.244.7.0");
        }
        lab.close();
    }

    @Test
    void forgettingRepairsDrift() {
        FakeDataplane fake = new FakeDataplane();
        NamespaceLab lab = lab(fake, LabMode.ROUTED, 2);
        ClusterConfig config = ClusterConfig.withNodes("pc", 2);
        lab.buildNetwork(config);
        PodCidrReconciler controller = lab.controllers(config).getFirst();
        Map<String, String> cidrs = Map.of("node-1", "10.244.1.0/24", "node-2", "10.244.2.0/24");
        controller.reconcile(cidrs);
        fake.dataplane().routes().delete(N1, Route.to("10.244.2.0/24"));
        controller.reconcile(cidrs);
        assertThat(podDestinations(fake, N1)).as("unchanged picture: nothing re-applied").isEmpty();
        controller.forget();
        controller.reconcile(cidrs);
        assertThat(podDestinations(fake, N1)).containsExactly("10.244.2.0/24");
        lab.close();
    }

    private static List<String> podDestinations(FakeDataplane fake, String ns) {
        return fake.routes().list(ns).stream().map(Route::dst).filter(d -> d.startsWith("10.244.")).toList();
    }
}
