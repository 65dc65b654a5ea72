package dev.knet.agent.services;

import static dev.knet.agent.services.PacketTracer.Origin.ARRIVING;
import static dev.knet.agent.services.PacketTracer.Origin.LOCAL;
import static dev.knet.agent.services.PacketTracer.Verdict.ACCEPT;
import static dev.knet.agent.services.PacketTracer.Verdict.DROP;
import static dev.knet.agent.services.PacketTracer.Verdict.REJECT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.knet.agent.services.PacketTracer.Outcome;
import dev.knet.agent.services.PacketTracer.Packet;
import dev.knet.dataplane.nft.FakeNftables;
import dev.knet.dataplane.nft.NftException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven flows through the generated ruleset as the fake holds it (kube-proxy's tracer tests). */
class ServiceTracerTest {

    private PacketTracer tracer;

    @BeforeEach
    void load() throws NftException {
        FakeNftables nft = new FakeNftables();
        nft.run(ServiceFixtures.standard().ruleset().fullTransaction());
        tracer = new PacketTracer(nft.state(), ServiceLayout.TABLE, ServiceFixtures.NODE);
    }

    record Flow(String name, Packet packet, Set<Outcome> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Flow flow(String name, String src, String dst, Protocol proto, int port, PacketTracer.Origin origin, Outcome... out) {
        return new Flow(name, new Packet(src, dst, proto, port, origin), Set.copyOf(Arrays.asList(out)));
    }

    static Outcome dnat(String target, boolean masq) {
        return new Outcome(ACCEPT, target, masq);
    }

    static Outcome plain(PacketTracer.Verdict v, boolean masq) {
        return new Outcome(v, null, masq);
    }

    static Stream<Flow> flows() {
        Protocol tcp = Protocol.TCP;
        return Stream.of(
                flow("pod to ClusterIP spreads over all endpoints", "10.244.1.9", "10.96.0.10", tcp, 80, ARRIVING,
                        dnat("10.244.1.5:8080", false), dnat("10.244.2.5:8080", false)),
                flow("node itself to ClusterIP is masqueraded", "198.18.0.2", "10.96.0.10", tcp, 80, LOCAL,
                        dnat("10.244.1.5:8080", true), dnat("10.244.2.5:8080", true)),
                flow("outside the cluster to ClusterIP is masqueraded", "198.18.0.50", "10.96.0.10", tcp, 80, ARRIVING,
                        dnat("10.244.1.5:8080", true), dnat("10.244.2.5:8080", true)),
                flow("hairpin: a pod reaching itself is masqueraded", "10.244.1.5", "10.96.0.10", tcp, 80, ARRIVING,
                        dnat("10.244.1.5:8080", true), dnat("10.244.2.5:8080", false)),
                flow("ClusterIP on a port the service lacks is not translated: it leaves as egress", "10.244.1.9", "10.96.0.10", tcp, 81,
                        ARRIVING, plain(ACCEPT, true)),
                flow("no endpoints, tcp: rejected", "10.244.1.9", "10.96.0.11", tcp, 80, ARRIVING, plain(REJECT, false)),
                flow("no endpoints, udp: rejected", "10.244.1.9", "10.96.0.11", Protocol.UDP, 53, ARRIVING, plain(REJECT, false)),
                flow("no endpoints from the node itself: rejected", "198.18.0.2", "10.96.0.11", tcp, 80, LOCAL, plain(REJECT, false)),
                flow("NodePort, Cluster policy: DNAT and masquerade", "198.18.0.50", "198.18.0.2", tcp, 30080, ARRIVING,
                        dnat("10.244.2.6:8080", true)),
                flow("NodePort, Local policy: local endpoint only, source kept", "198.18.0.50", "198.18.0.2", tcp, 30081, ARRIVING,
                        dnat("10.244.1.7:8080", false)),
                flow("NodePort, Local policy with no local endpoint: dropped", "198.18.0.50", "198.18.0.2", tcp, 30082, ARRIVING,
                        plain(DROP, false)),
                flow("ClusterIP of a Local-policy service still uses every endpoint", "10.244.1.9", "10.96.0.14", tcp, 80, ARRIVING,
                        dnat("10.244.2.8:8080", false)),
                flow("NodePort on a port nobody owns is left alone", "198.18.0.50", "198.18.0.2", tcp, 31999, ARRIVING,
                        plain(ACCEPT, false)),
                flow("internalTrafficPolicy Local with no local endpoint: dropped", "10.244.1.9", "10.96.0.15", tcp, 80, ARRIVING,
                        plain(DROP, false)),
                flow("no ready endpoint: falls back to serving terminating ones", "10.244.1.9", "10.96.0.16", tcp, 80, ARRIVING,
                        dnat("10.244.2.10:8080", false)),
                flow("LoadBalancer IP, Cluster policy", "198.18.0.50", "198.18.0.100", tcp, 80, ARRIVING,
                        dnat("10.244.2.21:8080", true)),
                flow("pod to LoadBalancer IP keeps its source", "10.244.1.9", "198.18.0.100", tcp, 80, ARRIVING,
                        dnat("10.244.2.21:8080", false)),
                flow("LoadBalancer's NodePort", "198.18.0.50", "198.18.0.2", tcp, 30083, ARRIVING,
                        dnat("10.244.2.21:8080", true)),
                flow("pod to a Local-policy NodePort with no local endpoint: treated as Cluster", "10.244.1.9", "198.18.0.2", tcp, 30082,
                        ARRIVING, dnat("10.244.2.8:8080", false)),
                flow("pod to a Local-policy NodePort: every endpoint, not only local ones", "10.244.1.9", "198.18.0.2", tcp, 30081,
                        ARRIVING, dnat("10.244.1.7:8080", false), dnat("10.244.2.7:8080", false)),
                flow("pod on another node to a Local-policy NodePort: treated as Cluster", "10.244.2.9", "198.18.0.2", tcp, 30082,
                        ARRIVING, dnat("10.244.2.8:8080", false)),
                flow("LoadBalancer IP, Local policy, no local endpoint, from outside: dropped", "198.18.0.50", "198.18.0.101", tcp, 80,
                        ARRIVING, plain(DROP, false)),
                flow("LoadBalancer IP, Local policy, from a pod: treated as Cluster", "10.244.1.9", "198.18.0.101", tcp, 80,
                        ARRIVING, dnat("10.244.2.22:8080", false)),
                flow("Local-policy LoadBalancer's NodePort from outside: dropped", "198.18.0.50", "198.18.0.2", tcp, 30084,
                        ARRIVING, plain(DROP, false)),
                flow("pod egress to a non-cluster address is masqueraded", "10.244.1.9", "198.18.0.50", tcp, 443, ARRIVING,
                        plain(ACCEPT, true)),
                flow("pod to pod keeps its source", "10.244.1.9", "10.244.2.5", tcp, 8080, ARRIVING, plain(ACCEPT, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void traces(Flow f) {
        assertThat(tracer.traceAll(f.packet())).containsExactlyInAnyOrderElementsOf(f.expected());
    }

    @Test
    void clientIpAffinityPinsAClientToItsFirstChoice() {
        Packet client = new Packet("10.244.1.9", "10.96.0.17", Protocol.TCP, 80, ARRIVING);
        Outcome first = tracer.trace(client, 1);
        assertThat(first.dnat()).isIn("10.244.1.20:8080", "10.244.2.20:8080");
        for (int r = 0; r < 8; r++) {
            assertThat(tracer.trace(client, r).dnat()).as("random %d", r).isEqualTo(first.dnat());
        }
        Packet outside = new Packet("198.18.0.50", "10.96.0.17", Protocol.TCP, 80, ARRIVING);
        Outcome outsideFirst = tracer.trace(outside, 0);
        assertThat(tracer.trace(outside, 1)).as("an affinity hit is still masqueraded").isEqualTo(outsideFirst)
                .extracting(Outcome::masquerade).isEqualTo(true);
        Packet other = new Packet("10.244.1.10", "10.96.0.17", Protocol.TCP, 80, ARRIVING);
        assertThat(tracer.traceAll(other)).extracting(Outcome::dnat)
                .containsExactlyInAnyOrder("10.244.1.20:8080", "10.244.2.20:8080");
    }

    record StickyRow(String name, ServiceInfo.TrafficPolicy policy, boolean masquerade) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<StickyRow> stickyNodePorts() {
        return Stream.of(new StickyRow("sticky NodePort, Cluster policy: pinned and masqueraded on every hit", ServiceInfo.TrafficPolicy.CLUSTER, true),
                new StickyRow("sticky NodePort, Local policy: pinned, source kept", ServiceInfo.TrafficPolicy.LOCAL, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stickyNodePorts")
    void clientIpAffinityHoldsOnNodePorts(StickyRow row) throws NftException {
        ServiceFixtures f = new ServiceFixtures();
        f.add(ServiceFixtures.svc("sticky-np", "10.96.0.40", 30090).withType(ServiceInfo.Type.NODE_PORT)
                        .withPolicies(row.policy(), ServiceInfo.TrafficPolicy.CLUSTER)
                        .withAffinity(new ServiceInfo.SessionAffinity.ClientIp(java.time.Duration.ofSeconds(60))),
                ServiceFixtures.ep("10.244.1.40", 8080, EndpointInfo.Conditions.READY),
                ServiceFixtures.ep("10.244.1.41", 8080, EndpointInfo.Conditions.READY));
        FakeNftables nft = new FakeNftables();
        nft.run(f.ruleset().fullTransaction());
        PacketTracer sticky = new PacketTracer(nft.state(), ServiceLayout.TABLE, ServiceFixtures.NODE);
        Packet client = new Packet("198.18.0.50", "198.18.0.2", Protocol.TCP, 30090, ARRIVING);
        Outcome first = sticky.trace(client, 1);
        assertThat(first.dnat()).isIn("10.244.1.40:8080", "10.244.1.41:8080");
        assertThat(first.masquerade()).isEqualTo(row.masquerade());
        for (int r = 0; r < 6; r++) {
            assertThat(sticky.trace(client, r)).as("random %d", r).isEqualTo(first);
        }
        Packet other = new Packet("198.18.0.51", "198.18.0.2", Protocol.TCP, 30090, ARRIVING);
        assertThat(sticky.traceAll(other)).extracting(Outcome::dnat).containsExactlyInAnyOrder("10.244.1.40:8080", "10.244.1.41:8080");
    }

    @Test
    void servicesWithoutAffinityAreNotPinned() {
        Packet client = new Packet("10.244.1.9", "10.96.0.10", Protocol.TCP, 80, ARRIVING);
        String first = tracer.trace(client, 0).dnat();
        assertThat(tracer.trace(client, 1).dnat()).isNotEqualTo(first);
    }
}
