package dev.knet.agent.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.knet.agent.services.EndpointInfo.Conditions;
import dev.knet.agent.services.ServiceInfo.TrafficPolicy;
import dev.knet.dataplane.Faults;
import dev.knet.dataplane.link.AddressScope;
import dev.knet.dataplane.link.FakeLinks;
import dev.knet.dataplane.link.LinkAddress;
import dev.knet.dataplane.netns.FakeNetns;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LoadBalancerAnnouncerTest {

    static final ServiceKey WEB = new ServiceKey("shop", "web");
    static final String NS = "knet-t1-node-a";

    static ServiceInfo lb(ServiceInfo.Type type, TrafficPolicy external, String... ips) {
        return new ServiceInfo(WEB, "10.96.0.10", HealthCheckServerTest.HTTP, type, external, TrafficPolicy.CLUSTER,
                new ServiceInfo.SessionAffinity.None(), List.of(ips), 0);
    }

    static EndpointInfo on(String node, Conditions c) {
        return new EndpointInfo("10.244.9." + Math.abs(node.hashCode() % 200), Map.of("http", 8080), c, node, node.equals("node-a"));
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("the only node with an endpoint owns the address", lb(ServiceInfo.Type.LOAD_BALANCER, TrafficPolicy.LOCAL, "198.18.0.200"),
                        List.of(on("node-a", Conditions.READY)), Set.of("198.18.0.200"), Set.of()),
                Arguments.of("another node's endpoint: that node owns it", lb(ServiceInfo.Type.LOAD_BALANCER, TrafficPolicy.CLUSTER, "198.18.0.200"),
                        List.of(on("node-b", Conditions.READY)), Set.of(), Set.of("198.18.0.200")),
                Arguments.of("ready endpoints win over terminating ones", lb(ServiceInfo.Type.LOAD_BALANCER, TrafficPolicy.LOCAL, "198.18.0.200"),
                        List.of(on("node-a", Conditions.TERMINATING_SERVING), on("node-b", Conditions.READY)), Set.of(), Set.of("198.18.0.200")),
                Arguments.of("only terminating endpoints still get announced", lb(ServiceInfo.Type.LOAD_BALANCER, TrafficPolicy.LOCAL, "198.18.0.200"),
                        List.of(on("node-a", Conditions.TERMINATING_SERVING)), Set.of("198.18.0.200"), Set.of()),
                Arguments.of("no endpoints: nobody answers", lb(ServiceInfo.Type.LOAD_BALANCER, TrafficPolicy.CLUSTER, "198.18.0.200"),
                        List.of(), Set.of(), Set.of()),
                Arguments.of("not a LoadBalancer: nothing to announce", lb(ServiceInfo.Type.NODE_PORT, TrafficPolicy.CLUSTER),
                        List.of(on("node-a", Conditions.READY)), Set.of(), Set.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void exactlyOneNodeOwnsEachAddress(String name, ServiceInfo service, List<EndpointInfo> endpoints, Set<String> nodeA, Set<String> nodeB) {
        ServiceMirror.View view = new ServiceMirror.View(Map.of(WEB, service), Map.of(WEB, endpoints));

        assertThat(LoadBalancerAnnouncer.owned(view, "node-a")).containsExactlyInAnyOrderElementsOf(nodeA);
        assertThat(LoadBalancerAnnouncer.owned(view, "node-b")).containsExactlyInAnyOrderElementsOf(nodeB);
    }

    @Test
    void twoNodesWithEndpointsSplitAddressesWithoutOverlap() {
        ServiceInfo service = lb(ServiceInfo.Type.LOAD_BALANCER, TrafficPolicy.CLUSTER, "198.18.0.200", "198.18.0.201", "198.18.0.202", "198.18.0.203");
        ServiceMirror.View view = new ServiceMirror.View(Map.of(WEB, service),
                Map.of(WEB, List.of(on("node-a", Conditions.READY), on("node-b", Conditions.READY))));

        Set<String> a = LoadBalancerAnnouncer.owned(view, "node-a");
        Set<String> b = LoadBalancerAnnouncer.owned(view, "node-b");
        assertThat(a).doesNotContainAnyElementsOf(b);
        assertThat(Stream.concat(a.stream(), b.stream())).containsExactlyInAnyOrderElementsOf(service.loadBalancerIps());
    }

    @Test
    void ownerPutsTheAddressOnLoopbackAndWithdrawsItWhenEndpointsMove() {
        FakeNetns netns = new FakeNetns();
        netns.create(NS);
        FakeLinks links = new FakeLinks(netns, new Faults());
        links.createBridge(NS, LoadBalancerAnnouncer.DEVICE); // stands in for lo, which the fake does not create
        LinkAddress host = new LinkAddress("198.18.0.200", 32, AddressScope.HOST);
        try (LoadBalancerAnnouncer announcer = new LoadBalancerAnnouncer("node-a", NS, links)) {
            announcer.onServiceUpdate(lb(ServiceInfo.Type.LOAD_BALANCER, TrafficPolicy.LOCAL, "198.18.0.200"));
            announcer.onEndpointsUpdate(WEB, List.of(on("node-a", Conditions.READY)));
            assertThat(links.addresses(NS, "lo")).as("nothing before the initial lists").isEmpty();

            announcer.markServicesSynced();
            announcer.markEndpointsSynced();
            assertThat(links.addresses(NS, "lo")).anyMatch(host::sameAs);
            assertThat(links.addresses(NS, "lo")).allMatch(a -> a.scope() == AddressScope.HOST);
            assertThat(announcer.announced()).containsExactly("198.18.0.200");

            announcer.onEndpointsUpdate(WEB, List.of(on("node-b", Conditions.READY)));
            assertThat(links.addresses(NS, "lo")).noneMatch(host::sameAs);
            assertThat(announcer.announced()).isEmpty();

            announcer.onEndpointsUpdate(WEB, List.of(on("node-a", Conditions.READY)));
        }
        assertThat(links.addresses(NS, "lo")).as("closing withdraws").noneMatch(host::sameAs);
    }
}
