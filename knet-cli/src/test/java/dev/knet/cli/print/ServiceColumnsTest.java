package dev.knet.cli.print;

import dev.knet.cli.print.NodeServiceTable.VipPort;
import dev.knet.model.ResourceKinds;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceColumnsTest {

    private static final String VIP = "10.96.0.20";
    private static final VipPort HTTP = new VipPort(VIP, "tcp", 80);
    private static final VipPort METRICS = new VipPort(VIP, "tcp", 9090);
    private static final Endpoint A = endpoint("10.244.1.5", "node-1", true);
    private static final Endpoint B = endpoint("10.244.2.5", "node-2", true);
    private static final Endpoint C = endpoint("10.244.3.5", "node-3", true);
    private static final Endpoint C_NOT_READY = endpoint("10.244.3.5", "node-3", false);

    /** One row: a Service, its slices, what the nodes hold, and the expected ENDPOINTS and PROGRAMMED cells. */
    record Row(Service service, List<EndpointSlice> slices, ServiceTables tables, String endpoints, String programmed) {
    }

    static Stream<Named<Row>> rows() {
        Service web = service("web", VIP, "ClusterIP", Map.of("app", "web"), port("http", 80));
        Service twoPorts = service("web", VIP, "ClusterIP", Map.of("app", "web"), port("http", 80), port("metrics", 9090));
        Service local = web.edit().editSpec().withInternalTrafficPolicy("Local").endSpec().build();
        Service handMade = service("ext-db", VIP, "ClusterIP", Map.of(), port("http", 80));
        List<EndpointSlice> abc = List.of(slice("web", 8080, A, B, C));
        List<EndpointSlice> abNotC = List.of(slice("web", 8080, A, B, C_NOT_READY));
        List<EndpointSlice> none = List.of(slice("web", 8080));
        return Stream.of(
                row("every node DNATs to every ready endpoint", web, abc,
                        nodes(dnat(HTTP, "10.244.1.5:8080", "10.244.2.5:8080", "10.244.3.5:8080")),
                        "10.244.1.5:8080,10.244.2.5:8080,10.244.3.5:8080", "3/3 nodes"),
                row("a node still DNATs to an endpoint that is no longer ready", web, abNotC,
                        new FakeServiceTables()
                                .node("node-1", dnat(HTTP, "10.244.1.5:8080", "10.244.2.5:8080"))
                                .node("node-2", dnat(HTTP, "10.244.1.5:8080", "10.244.2.5:8080"))
                                .node("node-3", dnat(HTTP, "10.244.1.5:8080", "10.244.2.5:8080", "10.244.3.5:8080")),
                        "10.244.1.5:8080,10.244.2.5:8080", "2/3 nodes"),
                row("a node has not programmed the service yet", web, abc,
                        new FakeServiceTables()
                                .node("node-1", dnat(HTTP, "10.244.1.5:8080", "10.244.2.5:8080", "10.244.3.5:8080"))
                                .node("node-2", dnat(HTTP, "10.244.1.5:8080", "10.244.2.5:8080", "10.244.3.5:8080"))
                                .node("node-3", NodeServiceTable.EMPTY),
                        "10.244.1.5:8080,10.244.2.5:8080,10.244.3.5:8080", "2/3 nodes"),
                row("no endpoints and every node rejects", web, none, nodes(reject(HTTP)), "<none>", "3/3 nodes"),
                row("no endpoints but a node still DNATs to the last one", web, none,
                        new FakeServiceTables().node("node-1", reject(HTTP)).node("node-2", reject(HTTP))
                                .node("node-3", dnat(HTTP, "10.244.1.5:8080")),
                        "<none>", "2/3 nodes"),
                row("headless: nothing to program", service("db", "None", "ClusterIP", Map.of("app", "db"), port("pg", 5432)),
                        List.of(slice("db", 5432, A)), nodes(NodeServiceTable.EMPTY), "10.244.1.5:5432", "-"),
                row("ExternalName: nothing to program", service("mail", null, "ExternalName", Map.of(), port("smtp", 25)),
                        List.of(), nodes(NodeServiceTable.EMPTY), "<none>", "-"),
                row("no selector and no slices: nothing to program", handMade, List.of(), nodes(NodeServiceTable.EMPTY),
                        "<none>", "-"),
                row("no selector, hand-made slice, programmed", handMade, List.of(slice("ext-db", 8080, A)),
                        nodes(dnat(HTTP, "10.244.1.5:8080")), "10.244.1.5:8080", "3/3 nodes"),
                row("no lab: cannot tell", web, abc, ServiceTables.unavailable("no lab is running"),
                        "10.244.1.5:8080,10.244.2.5:8080,10.244.3.5:8080", "?"),
                row("no node readable (not root): cannot tell", web, abc,
                        new FakeServiceTables().unreadable("node-1").unreadable("node-2").unreadable("node-3"),
                        "10.244.1.5:8080,10.244.2.5:8080,10.244.3.5:8080", "?"),
                row("one node unreadable: it does not count", web, abc,
                        new FakeServiceTables()
                                .node("node-1", dnat(HTTP, "10.244.1.5:8080", "10.244.2.5:8080", "10.244.3.5:8080"))
                                .node("node-2", dnat(HTTP, "10.244.1.5:8080", "10.244.2.5:8080", "10.244.3.5:8080"))
                                .unreadable("node-3"),
                        "10.244.1.5:8080,10.244.2.5:8080,10.244.3.5:8080", "2/3 nodes"),
                row("internalTrafficPolicy Local: each node its own endpoint", local, abc,
                        new FakeServiceTables()
                                .node("node-1", dnat(HTTP, "10.244.1.5:8080"))
                                .node("node-2", dnat(HTTP, "10.244.2.5:8080"))
                                .node("node-3", dnat(HTTP, "10.244.3.5:8080")),
                        "10.244.1.5:8080,10.244.2.5:8080,10.244.3.5:8080", "3/3 nodes"),
                row("internalTrafficPolicy Local: a node DNATs to a remote endpoint", local, abc,
                        new FakeServiceTables()
                                .node("node-1", dnat(HTTP, "10.244.1.5:8080"))
                                .node("node-2", dnat(HTTP, "10.244.2.5:8080"))
                                .node("node-3", dnat(HTTP, "10.244.1.5:8080", "10.244.2.5:8080", "10.244.3.5:8080")),
                        "10.244.1.5:8080,10.244.2.5:8080,10.244.3.5:8080", "2/3 nodes"),
                row("two ports: one stale on one node", twoPorts, List.of(twoPortSlice(A, B)),
                        new FakeServiceTables()
                                .node("node-1", table(Map.of(HTTP, set("10.244.1.5:8080", "10.244.2.5:8080"),
                                        METRICS, set("10.244.1.5:9091", "10.244.2.5:9091")), Set.of()))
                                .node("node-2", table(Map.of(HTTP, set("10.244.1.5:8080", "10.244.2.5:8080"),
                                        METRICS, set("10.244.1.5:9091")), Set.of())),
                        "10.244.1.5:8080,10.244.2.5:8080,10.244.1.5:9091 + 1 more...", "1/2 nodes"),
                row("more than three endpoints: kubectl's cut", web,
                        List.of(slice("web", 8080, A, B), slice("web", 8080, C, endpoint("10.244.3.6", "node-3", true),
                                endpoint("10.244.3.7", "node-3", true))),
                        nodes(dnat(HTTP, "10.244.1.5:8080", "10.244.2.5:8080", "10.244.3.5:8080", "10.244.3.6:8080",
                                "10.244.3.7:8080")),
                        "10.244.1.5:8080,10.244.2.5:8080,10.244.3.5:8080 + 2 more...", "3/3 nodes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void wideCells(Row row) {
        ServiceColumns columns = new ServiceColumns(new ServiceWideData(row.slices(), row.tables()));
        List<String> headers = columns.headers(true);
        List<String> cells = columns.cells(row.service(), true, Instant.now());

        assertThat(cells.get(headers.indexOf("ENDPOINTS"))).isEqualTo(row.endpoints());
        assertThat(cells.get(headers.indexOf("PROGRAMMED"))).isEqualTo(row.programmed());
    }

    @Test
    void plainGetSvcKeepsKubectlsColumnsAndReadsNoKernel() {
        FakeServiceTables tables = nodes(dnat(HTTP, "10.244.1.5:8080"));
        Service web = service("web", VIP, "ClusterIP", Map.of("app", "web"), port("http", 80));

        String out = ObjectPrinter.print(ResourceKinds.SERVICE, List.of(web), ObjectPrinter.Format.TABLE, false, false,
                new ServiceWideData(List.of(slice("web", 8080, A)), tables));

        assertThat(out.lines().findFirst().orElseThrow().split("\\s+"))
                .containsExactly("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE");
        assertThat(tables.reads()).isZero();
    }

    @Test
    void wideReadsTheKernelOnceForAllRowsAndNotForRowsWithNothingToProgram() {
        FakeServiceTables tables = nodes(dnat(HTTP, "10.244.1.5:8080"));
        Service web = service("web", VIP, "ClusterIP", Map.of("app", "web"), port("http", 80));
        Service other = service("other", "10.96.0.21", "ClusterIP", Map.of("app", "other"), port("http", 80));
        Service headless = service("db", "None", "ClusterIP", Map.of("app", "db"), port("pg", 5432));
        List<EndpointSlice> slices = List.of(slice("web", 8080, A));

        ObjectPrinter.print(ResourceKinds.SERVICE, List.of(headless), ObjectPrinter.Format.WIDE, false, false,
                new ServiceWideData(slices, tables));
        assertThat(tables.reads()).as("headless only").isZero();

        String out = ObjectPrinter.print(ResourceKinds.SERVICE, List.of(web, other, headless), ObjectPrinter.Format.WIDE,
                false, false, new ServiceWideData(slices, tables));
        assertThat(tables.reads()).isEqualTo(1);
        assertThat(out).contains("ENDPOINTS", "PROGRAMMED", "10.244.1.5:8080", "3/3 nodes", "0/3 nodes");
    }

    private static Named<Row> row(String name, Service s, List<EndpointSlice> slices, ServiceTables tables,
                                  String endpoints, String programmed) {
        return Named.of(name, new Row(s, slices, tables, endpoints, programmed));
    }

    private static FakeServiceTables nodes(NodeServiceTable same) {
        return new FakeServiceTables().node("node-1", same).node("node-2", same).node("node-3", same);
    }

    private static NodeServiceTable dnat(VipPort key, String... backends) {
        return table(Map.of(key, set(backends)), Set.of());
    }

    private static NodeServiceTable reject(VipPort key) {
        return table(Map.of(), Set.of(key));
    }

    private static NodeServiceTable table(Map<VipPort, SortedSet<String>> backends, Set<VipPort> rejecting) {
        return new NodeServiceTable(new HashMap<>(backends), rejecting);
    }

    private static SortedSet<String> set(String... values) {
        return new TreeSet<>(Arrays.asList(values));
    }

    private static ServicePort port(String name, int port) {
        return new ServicePortBuilder().withName(name).withProtocol("TCP").withPort(port).build();
    }

    private static Service service(String name, String clusterIp, String type, Map<String, String> selector,
                                   ServicePort... ports) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withType(type).withClusterIP(clusterIp)
                .withExternalName("ExternalName".equals(type) ? "mail.example.org" : null).withSelector(selector.isEmpty() ? null : selector)
                .withPorts(ports).endSpec().build();
    }

    private static Endpoint endpoint(String ip, String node, boolean ready) {
        return new EndpointBuilder().withAddresses(ip).withNodeName(node)
                .withNewConditions().withReady(ready).withServing(ready).withTerminating(false).endConditions().build();
    }

    private static EndpointSlice slice(String service, int port, Endpoint... endpoints) {
        return new EndpointSliceBuilder().withNewMetadata().withName(service + "-" + port + "-" + endpoints.length)
                .withNamespace("default").addToLabels("kubernetes.io/service-name", service).endMetadata()
                .withAddressType("IPv4").addToPorts(new EndpointPortBuilder().withName("http").withProtocol("TCP")
                        .withPort(port).build())
                .withEndpoints(endpoints).build();
    }

    private static EndpointSlice twoPortSlice(Endpoint... endpoints) {
        return new EndpointSliceBuilder(slice("web", 8080, endpoints))
                .addToPorts(new EndpointPortBuilder().withName("metrics").withProtocol("TCP").withPort(9091).build()).build();
    }
}
