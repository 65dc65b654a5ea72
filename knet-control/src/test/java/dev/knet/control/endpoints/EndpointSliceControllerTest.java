package dev.knet.control.endpoints;

import dev.knet.control.ControlPlane;
import dev.knet.control.TestCluster;
import dev.knet.control.config.ClusterConfig;
import dev.knet.model.ResourceKinds;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * EndpointSlice behaviours, most driven by the e2e restatements in behaviours.yaml. The control plane
 * runs with node agents (no simulated kubelet), so readiness and termination are set by the test.
 */
class EndpointSliceControllerTest {

    private final TestCluster c = new TestCluster(ClusterConfig.defaults(), ControlPlane.Options.withNodeAgents());

    @AfterEach
    void close() {
        c.close();
    }

    // ---- helpers -------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static Service serviceFrom(Map<String, Object> behaviour, String selectorValue) {
        Map<String, Object> s = ServiceBehaviours.map(behaviour, "setup", "service");
        ServiceBuilder b = new ServiceBuilder().withNewMetadata().withName((String) s.getOrDefault("name", "svc"))
                .withNamespace("default").endMetadata().withNewSpec().withSelector(Map.of("app", selectorValue))
                .withPublishNotReadyAddresses((Boolean) s.get("publishNotReadyAddresses")).endSpec();
        for (Object o : (List<Object>) s.getOrDefault("ports", List.of(Map.of("port", 80)))) {
            Map<String, Object> p = (Map<String, Object>) o;
            Object target = p.get("targetPort");
            b.editSpec().addToPorts(new ServicePortBuilder().withName((String) p.get("name"))
                    .withPort(((Number) p.get("port")).intValue())
                    .withProtocol((String) p.getOrDefault("protocol", "TCP"))
                    .withTargetPort(target == null ? null : target instanceof Number n ? new IntOrString(n.intValue())
                            : new IntOrString((String) target)).build()).endSpec();
        }
        return b.build();
    }

    private static Pod pod(String name, String app, List<Map<String, Object>> containerPorts) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("default")
                .addToLabels("app", app).endMetadata().withNewSpec().addNewContainer().withName("c").withImage("agnhost")
                .endContainer().endSpec();
        for (Map<String, Object> cp : containerPorts) {
            b.editSpec().editFirstContainer().addToPorts(new ContainerPortBuilder().withName((String) cp.get("name"))
                    .withContainerPort(((Number) cp.get("containerPort")).intValue())
                    .withProtocol((String) cp.getOrDefault("protocol", "TCP")).build()).endContainer().endSpec();
        }
        return b.build();
    }

    private void setReady(String name, boolean ready) {
        Pod p = c.pod("default", name);
        p.getStatus().getConditions().removeIf(cond -> "Ready".equals(cond.getType()));
        PodCondition cond = new PodCondition();
        cond.setType("Ready");
        cond.setStatus(ready ? "True" : "False");
        p.getStatus().getConditions().add(cond);
        p.getStatus().setPhase("Running");
        c.store.updateStatus(p);
        c.awaitIdle();
    }

    /** Pod name -> the target ports of the slice that holds it. */
    private Map<String, List<Integer>> endpoints(String service) {
        Map<String, List<Integer>> out = new TreeMap<>();
        for (EndpointSlice s : c.slicesOf("default", service)) {
            List<Integer> ports = s.getPorts().stream().map(p -> p.getPort()).sorted().toList();
            for (Endpoint e : s.getEndpoints()) {
                out.put(e.getTargetRef().getName(), ports);
            }
        }
        return out;
    }

    private Endpoint endpointOf(String service, String pod) {
        return c.slicesOf("default", service).stream().flatMap(s -> s.getEndpoints().stream())
                .filter(e -> e.getTargetRef().getName().equals(pod)).findFirst().orElse(null);
    }

    /** "endpoints = {pod1:[100], pod2:[101]}" as a map. */
    static Map<String, List<Integer>> parseEndpoints(String check) {
        Matcher m = Pattern.compile("endpoints =? ?\\{([^}]*)}").matcher(check);
        assertThat(m.find()).as("check names endpoints: %s", check).isTrue();
        Map<String, List<Integer>> out = new TreeMap<>();
        Matcher e = Pattern.compile("(\\w+):\\[([\\d, ]*)]").matcher(m.group(1));
        while (e.find()) {
            List<Integer> ports = new ArrayList<>();
            for (String p : e.group(2).split(",")) {
                ports.add(Integer.parseInt(p.trim()));
            }
            out.put(e.group(1), ports.stream().sorted().toList());
        }
        return out;
    }

    // ---- behaviours driven step by step from behaviours.yaml ---------------------------------------

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"svc-basic-endpoint", "svc-multiport-endpoints"})
    void endpointsFollowPodsStepByStep(String id) {
        Map<String, Object> behaviour = ServiceBehaviours.byId(id);
        Service svc = c.store.create(serviceFrom(behaviour, id));
        String name = svc.getMetadata().getName();
        Map<String, Object> setupPods = ServiceBehaviours.map(behaviour, "setup", "pods");
        for (Object o : (List<Object>) behaviour.get("steps")) {
            Map<String, String> step = (Map<String, String>) o;
            Matcher create = Pattern.compile("^create (pod\\d+)(?: \\(containerPort (\\d+))?").matcher(step.get("do"));
            Matcher delete = Pattern.compile("^delete (pod\\d+)").matcher(step.get("do"));
            if (create.find()) {
                String podName = create.group(1);
                List<Map<String, Object>> ports = (List<Map<String, Object>>) ((Map<String, Object>) setupPods
                        .getOrDefault(podName, Map.of())).getOrDefault("containerPorts", List.of());
                if (create.group(2) != null) {
                    ports = List.of(Map.of("name", "http", "containerPort", Integer.parseInt(create.group(2))));
                }
                c.store.create(pod(podName, id, ports));
                c.awaitIdle();
                setReady(podName, true);
            } else if (delete.find()) {
                c.store.commit(List.of(new Mutation.Delete(ResourceKinds.POD, "default", delete.group(1), Mutation.Grace.IMMEDIATE)));
            }
            c.awaitIdle();
            assertThat(endpoints(name)).as("%s after '%s'", id, step.get("do")).isEqualTo(parseEndpoints(step.get("check")));
        }
    }

    @Test
    void svcAddDeletePorts_aPortAddedToTheServiceAppearsAndGoesAgain() {
        Map<String, Object> behaviour = ServiceBehaviours.byId("svc-add-delete-ports");
        Service svc = c.store.create(serviceFrom(behaviour, "edit"));
        c.store.create(pod("pod1", "edit", List.of(Map.of("name", "svc1", "containerPort", 100))));
        c.awaitIdle();
        assertThat(endpoints("edit-port-test")).isEqualTo(Map.of("pod1", List.of(100)));
        // "update service to add portname2 81->svc2 and create pod2 with svc2=101"
        Service s = c.store.get(ResourceKinds.SERVICE, "default", "edit-port-test").orElseThrow();
        s.getSpec().getPorts().add(new ServicePortBuilder().withName("portname2").withPort(81)
                .withTargetPort(new IntOrString("svc2")).build());
        c.store.update(s);
        c.store.create(pod("pod2", "edit", List.of(Map.of("name", "svc2", "containerPort", 101))));
        c.awaitIdle();
        assertThat(endpoints("edit-port-test")).isEqualTo(Map.of("pod1", List.of(100), "pod2", List.of(101)));
        s = c.store.get(ResourceKinds.SERVICE, "default", "edit-port-test").orElseThrow();
        s.getSpec().getPorts().removeIf(p -> "portname2".equals(p.getName()));
        c.store.update(s);
        c.awaitIdle();
        // pod2 no longer serves any port of the Service: it stays an endpoint without ports, as in Kubernetes.
        assertThat(endpoints("edit-port-test")).containsEntry("pod1", List.of(100));
        assertThat(endpoints("edit-port-test").getOrDefault("pod2", List.of())).isEmpty();
        assertThat(svc).isNotNull();
    }

    @Test
    void svcUnreadyEndpointsPublished_notReadyAndTerminatingPodsAreReadyEndpointsOnlyWhilePublished() {
        Map<String, Object> behaviour = ServiceBehaviours.byId("svc-unready-endpoints-published");
        c.store.create(serviceFrom(behaviour, "tol"));
        c.store.create(pod("never-ready", "tol", List.of()));
        c.awaitIdle();
        setReady("never-ready", false);
        assertThat(endpointOf("tolerate-unready", "never-ready").getConditions().getReady()).isTrue();
        // scale to 0 (pod terminating) and publishNotReadyAddresses=false -> not an endpoint to send to
        c.store.delete(ResourceKinds.POD, "default", "never-ready");
        Service s = c.store.get(ResourceKinds.SERVICE, "default", "tolerate-unready").orElseThrow();
        s.getSpec().setPublishNotReadyAddresses(false);
        c.store.update(s);
        c.awaitIdle();
        Endpoint e = endpointOf("tolerate-unready", "never-ready");
        assertThat(e.getConditions().getReady()).isFalse();
        assertThat(e.getConditions().getServing()).isFalse();
        assertThat(e.getConditions().getTerminating()).isTrue();
        s = c.store.get(ResourceKinds.SERVICE, "default", "tolerate-unready").orElseThrow();
        s.getSpec().setPublishNotReadyAddresses(true);
        c.store.update(s);
        c.awaitIdle();
        e = endpointOf("tolerate-unready", "never-ready");
        assertThat(e.getConditions().getReady()).isTrue();
        assertThat(e.getConditions().getTerminating()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"svc-terminating-unready-published", "svc-terminating-unready-not-published",
            "svc-fallback-terminating-itp-cluster"})
    void terminatingEndpointsCarryTheirConditions(String id) {
        Map<String, Object> behaviour = ServiceBehaviours.byId(id);
        Map<String, Object> setup = ServiceBehaviours.map(behaviour, "setup", "service");
        boolean publish = Boolean.TRUE.equals(setup.get("publishNotReadyAddresses"));
        // The fallback case keeps a pod that is still Ready while it terminates (serving=true).
        boolean stillReady = id.startsWith("svc-fallback");
        Service svc = c.store.create(serviceFrom(behaviour, "term"));
        c.store.create(pod("webserver-pod", "term", List.of()));
        c.awaitIdle();
        setReady("webserver-pod", true);
        c.store.delete(ResourceKinds.POD, "default", "webserver-pod");
        c.awaitIdle();
        if (!stillReady) {
            setReady("webserver-pod", false);
        }
        Endpoint e = endpointOf(svc.getMetadata().getName(), "webserver-pod");
        assertThat(e).as("terminating pods stay in the slice").isNotNull();
        assertThat(e.getConditions().getTerminating()).isTrue();
        assertThat(e.getConditions().getReady()).as("ready").isEqualTo(publish);
        assertThat(e.getConditions().getServing()).as("serving: the pod's readiness, published or not").isEqualTo(stillReady);
    }

    @Test
    void svcEvictedPodsRejected_aFailedPodIsNeverAnEndpointEvenWhenNotReadyOnesArePublished() {
        Map<String, Object> behaviour = ServiceBehaviours.byId("svc-evicted-pods-rejected");
        c.store.create(serviceFrom(behaviour, "ev"));
        c.store.create(pod("evicted-pod", "ev", List.of()));
        c.awaitIdle();
        assertThat(endpoints("evicted-pods")).containsKey("evicted-pod");
        Pod p = c.pod("default", "evicted-pod");
        p.getStatus().setPhase("Failed");
        p.getStatus().setReason("Evicted");
        c.store.updateStatus(p);
        c.awaitIdle();
        assertThat(c.slicesOf("default", "evicted-pods")).singleElement()
                .satisfies(s -> assertThat(s.getEndpoints()).isEmpty());
    }

    // ---- behaviours without an e2e restatement -------------------------------------------------------

    @Test
    void endpointsCarryNodeZoneTargetAndTheManagedByLabels() {
        c.store.create(TestCluster.service("web", Map.of("app", "web"), 80, "http"));
        Pod p = TestCluster.pod("web-1", Map.of("app", "web"));
        p.getSpec().setNodeName("node-2");
        c.store.create(p);
        c.awaitIdle();
        EndpointSlice slice = c.slicesOf("default", "web").getFirst();
        assertThat(slice.getMetadata().getName()).matches("web-[a-z0-9]{5}");
        assertThat(slice.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "web")
                .containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.knet.dev");
        assertThat(slice.getAddressType()).isEqualTo("IPv4");
        assertThat(slice.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(r -> assertThat(r.getKind()).isEqualTo("Service"));
        Endpoint e = slice.getEndpoints().getFirst();
        assertThat(e.getNodeName()).isEqualTo("node-2");
        assertThat(e.getZone()).isEqualTo("zone-b");
        assertThat(e.getTargetRef().getUid()).isEqualTo(c.pod("default", "web-1").getMetadata().getUid());
        assertThat(e.getConditions().getReady()).isFalse();
        assertThat(slice.getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getPort()).isEqualTo(8080);
        });
    }

    @Test
    void headlessServicesGetSlicesToo() {
        Service s = TestCluster.service("db", Map.of("app", "db"), 5432, 5432);
        s.getSpec().setClusterIP("None");
        c.store.create(s);
        c.store.create(TestCluster.pod("db-0", Map.of("app", "db")));
        c.awaitIdle();
        assertThat(c.slicesOf("default", "db")).singleElement().satisfies(slice -> {
            assertThat(slice.getMetadata().getLabels()).containsEntry("service.kubernetes.io/headless", "");
            assertThat(slice.getEndpoints()).hasSize(1);
        });
    }

    @Test
    void slicesOfAServiceWithoutSelectorAreLeftToTheirOwner() {
        Service s = new ServiceBuilder().withNewMetadata().withName("external").withNamespace("default").endMetadata()
                .withNewSpec().addNewPort().withPort(80).endPort().endSpec().build();
        c.store.create(s);
        EndpointSlice manual = new EndpointSliceBuilder().withNewMetadata().withName("external-1").withNamespace("default")
                .addToLabels("kubernetes.io/service-name", "external").endMetadata().withAddressType("IPv4")
                .addNewEndpoint().withAddresses("198.18.0.99").endEndpoint().build();
        String version = c.store.create(manual).getMetadata().getResourceVersion();
        c.store.create(TestCluster.pod("x", Map.of("app", "external")));
        c.awaitIdle();
        assertThat(c.slicesOf("default", "external")).singleElement().satisfies(slice -> {
            assertThat(slice.getMetadata().getName()).isEqualTo("external-1");
            assertThat(slice.getMetadata().getResourceVersion()).isEqualTo(version);
        });
    }

    @Test
    void manyEndpointsAreSplitAtOneHundredAndAnUnrelatedChangeRewritesNothing() {
        c.store.create(TestCluster.service("big", Map.of("app", "big"), 80, 8080));
        List<Mutation> pods = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            pods.add(new Mutation.Create(TestCluster.pod(String.format("big-%03d", i), Map.of("app", "big"))));
        }
        c.store.commit(pods);
        c.awaitIdle();
        List<EndpointSlice> slices = c.slicesOf("default", "big");
        assertThat(slices).extracting(s -> s.getEndpoints().size()).containsExactlyInAnyOrder(100, 100, 50);
        assertThat(slices.stream().flatMap(s -> s.getEndpoints().stream()).map(e -> e.getAddresses().getFirst()))
                .hasSize(250).doesNotHaveDuplicates();
        Map<String, String> versions = new TreeMap<>();
        slices.forEach(s -> versions.put(s.getMetadata().getName(), s.getMetadata().getResourceVersion()));

        Pod p = c.pod("default", "big-007");
        p.getMetadata().getLabels().put("unrelated", "yes");
        c.store.update(p);
        c.awaitIdle();
        Map<String, String> after = new TreeMap<>();
        c.slicesOf("default", "big").forEach(s -> after.put(s.getMetadata().getName(), s.getMetadata().getResourceVersion()));
        assertThat(after).isEqualTo(versions);

        c.store.create(TestCluster.pod("big-new", Map.of("app", "big")));
        c.awaitIdle();
        Map<String, String> afterAdd = new TreeMap<>();
        c.slicesOf("default", "big").forEach(s -> afterAdd.put(s.getMetadata().getName(), s.getMetadata().getResourceVersion()));
        assertThat(afterAdd.keySet()).isEqualTo(versions.keySet());
        long rewritten = afterAdd.entrySet().stream().filter(en -> !en.getValue().equals(versions.get(en.getKey()))).count();
        assertThat(rewritten).as("one new endpoint rewrites one slice").isEqualTo(1);
    }

    @Test
    void deletingTheServiceRemovesItsSlices() {
        c.store.create(TestCluster.service("web", Map.of("app", "web"), 80, 8080));
        c.store.create(TestCluster.pod("web-1", Map.of("app", "web")));
        c.awaitIdle();
        assertThat(c.slicesOf("default", "web")).hasSize(1);
        c.store.delete(ResourceKinds.SERVICE, "default", "web");
        c.awaitIdle();
        assertThat(c.slicesOf("default", "web")).isEmpty();
    }

    @Test
    void parsesTheCheckNotation() {
        assertThat(parseEndpoints("endpoints = {pod1:[100], pod2:[101]}; service reachable"))
                .isEqualTo(Map.of("pod1", List.of(100), "pod2", List.of(101)));
        assertThat(parseEndpoints("endpoints = {}")).isEmpty();
        List<ServicePort> unused = List.of();
        assertThat(unused).isEmpty();
    }
}
