package dev.knet.cli.trace;

import dev.knet.lab.LabMode;
import dev.knet.model.Manifests;
import dev.knet.policy.Protocol;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** knet trace's path from cluster objects: DNS, Service, endpoints, routes per mode, policy verdicts. */
class PathTracerTest {

    private static final String CLUSTER = """
            apiVersion: v1
            kind: Node
            metadata: {name: n1}
            spec: {podCIDR: 10.244.1.0/24}
            status: {addresses: [{type: InternalIP, address: 192.168.100.11}]}
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: n2}
            spec: {podCIDR: 10.244.2.0/24}
            status: {addresses: [{type: InternalIP, address: 192.168.100.12}]}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: default}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: productpage, namespace: default, labels: {app: productpage}}
            spec: {nodeName: n1, containers: [{name: c, image: i}]}
            status: {phase: Running, podIP: 10.244.1.5}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: details, namespace: default, labels: {app: details}}
            spec: {nodeName: n2, containers: [{name: c, image: i}]}
            status: {phase: Running, podIP: 10.244.2.6}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: reviews-v1, namespace: default, labels: {app: reviews}}
            spec: {nodeName: n1, containers: [{name: c, image: i, ports: [{containerPort: 9080}]}]}
            status: {phase: Running, podIP: 10.244.1.7, conditions: [{type: Ready, status: "True"}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: reviews-v2, namespace: default, labels: {app: reviews}}
            spec: {nodeName: n2, containers: [{name: c, image: i, ports: [{containerPort: 9080}]}]}
            status: {phase: Running, podIP: 10.244.2.8, conditions: [{type: Ready, status: "True"}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: default}
            spec:
              clusterIP: 10.96.0.13
              selector: {app: reviews}
              ports: [{name: http, port: 9080, targetPort: 9080}]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: reviews-abc, namespace: default, labels: {kubernetes.io/service-name: reviews}}
            addressType: IPv4
            ports: [{name: http, port: 9080, protocol: TCP}]
            endpoints:
            - {addresses: [10.244.1.7], conditions: {ready: true}, targetRef: {kind: Pod, namespace: default, name: reviews-v1}}
            - {addresses: [10.244.2.8], conditions: {ready: true}, targetRef: {kind: Pod, namespace: default, name: reviews-v2}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: empty, namespace: default}
            spec:
              clusterIP: 10.96.0.20
              selector: {app: nobody}
              ports: [{port: 80}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: outside, namespace: default}
            spec: {type: ExternalName, externalName: www.example.com}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: reviews-from-productpage, namespace: default}
            spec:
              podSelector: {matchLabels: {app: reviews}}
              ingress:
              - from: [{podSelector: {matchLabels: {app: productpage}}}]
            """;

    private static List<HasMetadata> objects() {
        return new ArrayList<>(Manifests.parse(CLUSTER, "trace test"));
    }

    private static PathTracer tracer(LabMode mode) {
        return new PathTracer(objects(), mode, "10.96.0.10", "cluster.local");
    }

    private static List<String> render(List<TraceStep> steps) {
        return steps.stream().map(s -> s.kind() + " " + String.join(" | ", s.lines())).toList();
    }

    @Test
    void aShortNameIsResolvedAsTheSourcesResolverWouldThenDnatedToEveryEndpoint() {
        List<TraceStep> steps = tracer(LabMode.VXLAN).trace("default/productpage", "reviews", 9080, Protocol.TCP);

        assertThat(steps).extracting(TraceStep::kind)
                .containsExactly("source", "dns", "service", "endpoint", "endpoint", "verdict");
        List<String> text = render(steps);
        assertThat(text.get(0)).isEqualTo("source default/productpage 10.244.1.5 on node n1 (192.168.100.11)");
        assertThat(text.get(1)).contains("search default.svc.cluster.local svc.cluster.local cluster.local, ndots:5")
                .contains("reviews.default.svc.cluster.local. A 10.96.0.13 (ClusterIP of Service default/reviews)");
        assertThat(text.get(2)).contains("default/reviews 10.96.0.13:9080/TCP (port http) -> targetPort 9080")
                .contains("node n1's Service proxy (nftables) DNATs to one of 2 ready endpoint(s)");
        assertThat(text.get(3)).startsWith("endpoint default/reviews-v1 10.244.1.7 on node n1")
                .contains("same node n1").contains("policy: allowed");
        assertThat(text.get(4)).startsWith("endpoint default/reviews-v2 10.244.2.8 on node n2")
                .contains("over its VXLAN device").contains("UDP/4789 to 192.168.100.12")
                .contains("outer UDP packets skip conntrack")
                .contains("reviews-from-productpage");
        assertThat(text.get(5)).isEqualTo("verdict ALLOWED: 2 of 2 destination(s) accept TCP/9080 from default/productpage");
    }

    @Test
    void aDeniedFlowNamesThePolicyThatIsolatesTheDestination() {
        List<TraceStep> steps = tracer(LabMode.ROUTED).trace("default/details", "svc/default/reviews", 9080, Protocol.TCP);

        List<String> text = render(steps);
        assertThat(steps).extracting(TraceStep::kind).doesNotContain("dns");
        assertThat(text).filteredOn(l -> l.startsWith("endpoint")).allSatisfy(l -> assertThat(l)
                .contains("policy: denied").contains("reviews-from-productpage"));
        assertThat(text.getLast()).startsWith("verdict DENIED: 0 of 2");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            BRIDGE | one L2 segment: the source ARPs for 10.244.2.8 itself
            ROUTED | node n1 routes 10.244.2.0/24 via node n2's InternalIP 192.168.100.12
            CLOUD  | node n1 sends it to the VPC router, whose route for 10.244.2.0/24
            """)
    void theRouteAcrossNodesIsTheModesOwn(LabMode mode, String hop) {
        List<String> text = render(tracer(mode).trace("default/productpage", "default/reviews-v2", 9080, Protocol.TCP));

        assertThat(text.get(1)).contains(hop).contains("no NAT between pods");
    }

    @Test
    void aPodReachingItsOwnServiceIsHairpinned() {
        List<String> text = render(tracer(LabMode.VXLAN).trace("default/reviews-v1", "reviews", 9080, Protocol.TCP));

        assertThat(text).filteredOn(l -> l.startsWith("endpoint default/reviews-v1 ")).singleElement()
                .satisfies(l -> assertThat(l).contains("back to the pod itself (hairpin): node n1 DNATs it into the same veth"));
    }

    @Test
    void namesThatDoNotResolveStopTheTraceAtDns() {
        List<TraceStep> steps = tracer(LabMode.VXLAN).trace("default/productpage", "ratings", 9080, Protocol.TCP);

        assertThat(render(steps).get(1)).contains("ratings.default.svc.cluster.local. NXDOMAIN")
                .contains("ratings. is outside cluster.local");
        assertThat(steps.getLast().lines().getFirst()).startsWith("FAILED: ratings does not resolve");
    }

    @Test
    void anExternalNameIsACnameOutOfTheCluster() {
        List<String> text = render(tracer(LabMode.VXLAN).trace("default/productpage", "outside", 80, Protocol.TCP));

        assertThat(text.get(1)).contains("outside.default.svc.cluster.local. CNAME www.example.com");
    }

    @Test
    void aServiceWithoutEndpointsIsRejectedByTheProxy() {
        List<TraceStep> steps = tracer(LabMode.VXLAN).trace("default/productpage", "10.96.0.20", 80, Protocol.TCP);

        assertThat(render(steps)).anySatisfy(l -> assertThat(l).startsWith("service default/empty 10.96.0.20:80/TCP")
                .contains("no ready endpoints"));
        assertThat(steps.getLast().lines().getFirst()).startsWith("DENIED");
    }

    @Test
    void anUnknownSourcePodIsAClearError() {
        assertThatThrownBy(() -> tracer(LabMode.VXLAN).trace("default/nope", "reviews", 9080, Protocol.TCP))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no pod default/nope");
    }
}
