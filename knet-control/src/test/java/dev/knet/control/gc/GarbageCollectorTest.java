package dev.knet.control.gc;

import dev.knet.control.ControlPlane;
import dev.knet.control.TestCluster;
import dev.knet.control.config.ClusterConfig;
import dev.knet.model.ResourceKinds;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class GarbageCollectorTest {

    private final TestCluster c = new TestCluster(ClusterConfig.defaults(), ControlPlane.Options.simulated());

    @AfterEach
    void close() {
        c.close();
    }

    private static OwnerReference ref(String apiVersion, String kind, String name, String uid) {
        return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind).withName(name).withUid(uid).build();
    }

    private Pod podOwnedBy(String name, List<OwnerReference> owners) {
        Pod p = TestCluster.pod(name, Map.of());
        p.getMetadata().setOwnerReferences(owners);
        return c.store.create(p);
    }

    static Stream<Arguments> owners() {
        return Stream.of(
                Arguments.of("owner uid that never existed", "missing", false),
                Arguments.of("live owner of a kind not cached (ConfigMap)", "configmap", true),
                Arguments.of("owner of a kind knet does not serve", "foreign", true),
                Arguments.of("one owner gone, one alive", "mixed", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("owners")
    void deletesOnlyWhenEveryOwnerIsGone(String name, String shape, boolean survives) {
        ConfigMap cm = c.store.create(new ConfigMapBuilder().withNewMetadata().withName("cm").withNamespace("default")
                .endMetadata().build());
        OwnerReference live = ref("v1", "ConfigMap", "cm", cm.getMetadata().getUid());
        OwnerReference gone = ref("apps/v1", "Deployment", "old", "00000000-0000-0000-0000-000000000000");
        List<OwnerReference> owners = switch (shape) {
            case "missing" -> List.of(gone);
            case "configmap" -> List.of(live);
            case "foreign" -> List.of(ref("example.com/v1", "Widget", "w", "1234"));
            case "mixed" -> List.of(gone, live);
            default -> throw new IllegalArgumentException(shape);
        };
        podOwnedBy("dependent", owners);
        c.awaitIdle();
        assertThat(c.pod("default", "dependent") != null).isEqualTo(survives);
    }

    @Test
    void deletingAnOwnerCollectsItsDependents() {
        ConfigMap cm = c.store.create(new ConfigMapBuilder().withNewMetadata().withName("cm").withNamespace("default")
                .endMetadata().build());
        podOwnedBy("dependent", List.of(ref("v1", "ConfigMap", "cm", cm.getMetadata().getUid())));
        c.awaitIdle();
        assertThat(c.pod("default", "dependent")).isNotNull();
        c.store.delete(ResourceKinds.CONFIG_MAP, "default", "cm");
        // ConfigMaps are not cached: the pod is looked at again when something about it changes.
        Pod p = c.pod("default", "dependent");
        p.getMetadata().getLabels().put("touch", "1");
        c.store.update(p);
        c.awaitIdle();
        assertThat(c.pod("default", "dependent")).isNull();
    }
}
