package dev.knet.dns.index;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.knet.dns.index.ZoneObjects.clusterIp;
import static dev.knet.dns.index.ZoneObjects.externalName;
import static dev.knet.dns.index.ZoneObjects.headless;
import static dev.knet.dns.index.ZoneObjects.namespace;
import static dev.knet.dns.index.ZoneObjects.pod;
import static dev.knet.dns.index.ZoneObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each row applies a sequence of changes one by one to an index and checks answers afterwards;
 * then the incrementally maintained zone must equal, name for name, the zone built in one go
 * from the objects that remain.
 */
class IncrementalIndexTest {

    private static final String Z = ".default.svc.cluster.local";
    private static final Map<String, String> APP_DB = Map.of("app", "db");

    /** One change: an object written (upsert) or deleted. */
    private record Step(boolean delete, HasMetadata object) {
    }

    private static Step put(HasMetadata object) {
        return new Step(false, object);
    }

    private static Step del(HasMetadata object) {
        return new Step(true, object);
    }

    /** A question and its answer as "NXDOMAIN", "NODATA", "NOT-IN-ZONE" or "owner TYPE data" lines. */
    private record Ask(String name, int type, List<String> want) {
    }

    private static Ask ask(String name, int type, String... want) {
        return new Ask(name, type, List.of(want));
    }

    private record Row(String name, ZoneSettings settings, List<Step> steps, List<Ask> asks) {
    }

    private static final int A = RecordTypes.A;
    private static final int SRV = RecordTypes.SRV;
    private static final int PTR = RecordTypes.PTR;
    private static final int CNAME = RecordTypes.CNAME;

    static List<Row> rows() {
        ZoneSettings defaults = ZoneSettings.defaults();
        Service web = clusterIp("default", "web", "10.96.0.5", "http:80");
        Service dbHeadless = headless("default", "db", APP_DB, "pg:5432");
        Pod dbPod = pod("default", "db-0", "10.244.1.7", APP_DB, null, null);
        return List.of(
                new Row("a new ClusterIP Service answers A, SRV and PTR", defaults, List.of(put(web)), List.of(
                        ask("web" + Z, A, "web" + Z + " A 10.96.0.5"),
                        ask("_http._tcp.web" + Z, SRV, "_http._tcp.web" + Z + " SRV 80 web" + Z),
                        ask("5.0.96.10.in-addr.arpa", PTR, "5.0.96.10.in-addr.arpa PTR web" + Z),
                        ask("default.svc.cluster.local", A, "NODATA"))),
                new Row("a deleted Service leaves no name behind, not even its empty parents", defaults,
                        List.of(put(web), del(web)), List.of(
                        ask("web" + Z, A, "NXDOMAIN"),
                        ask("_http._tcp.web" + Z, SRV, "NXDOMAIN"),
                        ask("_tcp.web" + Z, SRV, "NXDOMAIN"),
                        ask("5.0.96.10.in-addr.arpa", PTR, "NOT-IN-ZONE"),
                        ask("default.svc.cluster.local", A, "NXDOMAIN"),
                        ask("svc.cluster.local", A, "NXDOMAIN"))),
                new Row("changed ports replace the SRV names", defaults,
                        List.of(put(web), put(clusterIp("default", "web", "10.96.0.5", "https:443", "dns:53/UDP"))), List.of(
                        ask("_http._tcp.web" + Z, SRV, "NXDOMAIN"),
                        ask("_https._tcp.web" + Z, SRV, "_https._tcp.web" + Z + " SRV 443 web" + Z),
                        ask("_dns._udp.web" + Z, SRV, "_dns._udp.web" + Z + " SRV 53 web" + Z))),
                new Row("a changed cluster IP moves the A record and the PTR", defaults,
                        List.of(put(web), put(clusterIp("default", "web", "10.96.0.6", "http:80"))), List.of(
                        ask("web" + Z, A, "web" + Z + " A 10.96.0.6"),
                        ask("5.0.96.10.in-addr.arpa", PTR, "NOT-IN-ZONE"),
                        ask("6.0.96.10.in-addr.arpa", PTR, "6.0.96.10.in-addr.arpa PTR web" + Z))),
                new Row("ClusterIP to ExternalName becomes a CNAME", defaults,
                        List.of(put(web), put(externalName("default", "web", "db.example.org"))), List.of(
                        ask("web" + Z, CNAME, "web" + Z + " CNAME db.example.org"),
                        ask("_http._tcp.web" + Z, SRV, "NXDOMAIN"),
                        ask("5.0.96.10.in-addr.arpa", PTR, "NOT-IN-ZONE"))),
                new Row("ClusterIP to headless answers the slice's ready endpoints", defaults, List.of(put(web),
                        put(headless("default", "web", Map.of(), "http:80")),
                        put(slice("default", "web-abc", "web", Map.of("http", 8080), "10.244.1.2=pet", "10.244.1.3", "10.244.1.4!"))),
                        List.of(
                        ask("web" + Z, A, "web" + Z + " A 10.244.1.2", "web" + Z + " A 10.244.1.3"),
                        ask("pet.web" + Z, A, "pet.web" + Z + " A 10.244.1.2"),
                        ask("10-244-1-3.web" + Z, A, "10-244-1-3.web" + Z + " A 10.244.1.3"),
                        ask("_http._tcp.web" + Z, SRV, "_http._tcp.web" + Z + " SRV 8080 pet.web" + Z,
                                "_http._tcp.web" + Z + " SRV 8080 10-244-1-3.web" + Z),
                        ask("2.1.244.10.in-addr.arpa", PTR, "2.1.244.10.in-addr.arpa PTR pet.web" + Z),
                        ask("5.0.96.10.in-addr.arpa", PTR, "NOT-IN-ZONE"))),
                new Row("an updated slice drops endpoints and their hostnames", defaults, List.of(
                        put(headless("default", "web", Map.of(), "http:80")),
                        put(slice("default", "web-abc", "web", Map.of("http", 80), "10.244.1.2=pet", "10.244.1.3")),
                        put(slice("default", "web-abc", "web", Map.of("http", 80), "10.244.1.3", "10.244.1.2=pet!"))),
                        List.of(
                        ask("web" + Z, A, "web" + Z + " A 10.244.1.3"),
                        ask("pet.web" + Z, A, "NXDOMAIN"),
                        ask("_http._tcp.web" + Z, SRV, "_http._tcp.web" + Z + " SRV 80 10-244-1-3.web" + Z))),
                new Row("a deleted last slice leaves a headless Service with no endpoints: NXDOMAIN", defaults.withEndpointSource(
                        ZoneSettings.EndpointSource.SLICES), List.of(
                        put(headless("default", "web", Map.of(), "http:80")),
                        put(slice("default", "web-abc", "web", Map.of("http", 80), "10.244.1.3")),
                        del(slice("default", "web-abc", "web", Map.of()))),
                        List.of(ask("web" + Z, A, "NXDOMAIN"), ask("_http._tcp.web" + Z, SRV, "NXDOMAIN"))),
                new Row("a slice moving to another Service moves its endpoints", defaults, List.of(
                        put(headless("default", "a", Map.of())), put(headless("default", "b", Map.of())),
                        put(slice("default", "s", "a", Map.of(), "10.244.1.3")),
                        put(slice("default", "s", "b", Map.of(), "10.244.1.3"))),
                        List.of(ask("a" + Z, A, "NXDOMAIN"), ask("b" + Z, A, "b" + Z + " A 10.244.1.3"))),
                new Row("headless endpoints follow selected pods as they come, change labels and go", defaults, List.of(
                        put(dbHeadless), put(dbPod), put(pod("default", "db-1", "10.244.1.8", APP_DB, null, null)),
                        put(pod("default", "db-1", "10.244.1.8", Map.of("app", "other"), null, null))),
                        List.of(ask("db" + Z, A, "db" + Z + " A 10.244.1.7"),
                                ask("_pg._tcp.db" + Z, SRV, "_pg._tcp.db" + Z + " SRV 5432 10-244-1-7.db" + Z))),
                new Row("the last selected pod deleted: NXDOMAIN", defaults, List.of(put(dbHeadless), put(dbPod), del(dbPod)),
                        List.of(ask("db" + Z, A, "NXDOMAIN"), ask("7.1.244.10.in-addr.arpa", PTR, "NOT-IN-ZONE"))),
                new Row("a changed selector picks other pods", defaults, List.of(put(dbHeadless), put(dbPod),
                        put(pod("default", "cache-0", "10.244.1.9", Map.of("app", "cache"), null, null)),
                        put(headless("default", "db", Map.of("app", "cache"), "pg:5432"))),
                        List.of(ask("db" + Z, A, "db" + Z + " A 10.244.1.9"))),
                new Row("a named target port answers the pod's container port in SRV", defaults, List.of(
                        put(headless("default", "db", APP_DB, "pg:5432>postgres")), put(withContainerPort(dbPod, "postgres", 6432))),
                        List.of(ask("_pg._tcp.db" + Z, SRV, "_pg._tcp.db" + Z + " SRV 6432 10-244-1-7.db" + Z))),
                new Row("a pod hostname record appears and goes with the headless Service of its subdomain", defaults, List.of(
                        put(pod("default", "p", "10.244.2.5", Map.of(), "host", "sub")),
                        put(headless("default", "sub", Map.of("none", "none"))),
                        put(headless("default", "other", Map.of("none", "none")))),
                        List.of(ask("host.sub" + Z, A, "host.sub" + Z + " A 10.244.2.5"),
                                ask("5.2.244.10.in-addr.arpa", PTR, "5.2.244.10.in-addr.arpa PTR host.sub" + Z))),
                new Row("the subdomain's Service deleted: the hostname goes, the PTR falls back to the pod name", defaults, List.of(
                        put(pod("default", "p", "10.244.2.5", Map.of(), "host", "sub")),
                        put(headless("default", "sub", Map.of("none", "none"))),
                        del(headless("default", "sub", Map.of("none", "none")))),
                        List.of(ask("host.sub" + Z, A, "NXDOMAIN"),
                                ask("5.2.244.10.in-addr.arpa", PTR, "5.2.244.10.in-addr.arpa PTR 10-244-2-5.default.pod.cluster.local"))),
                new Row("the subdomain's Service turned ClusterIP: no hostname record", defaults, List.of(
                        put(pod("default", "p", "10.244.2.5", Map.of(), "host", "sub")),
                        put(headless("default", "sub", Map.of("none", "none"))),
                        put(clusterIp("default", "sub", "10.96.0.9"))),
                        List.of(ask("host.sub" + Z, A, "NXDOMAIN"), ask("sub" + Z, A, "sub" + Z + " A 10.96.0.9"))),
                new Row("verified pod A records follow pods", defaults.withPodRecords(ZoneSettings.PodRecords.VERIFIED), List.of(
                        put(dbPod), put(pod("default", "gone", "10.244.1.99", Map.of(), null, null)),
                        del(pod("default", "gone", "10.244.1.99", Map.of(), null, null))),
                        List.of(ask("10-244-1-7.default.pod.cluster.local", A, "10-244-1-7.default.pod.cluster.local A 10.244.1.7"),
                                ask("10-244-1-99.default.pod.cluster.local", A, "NXDOMAIN"),
                                ask("7.1.244.10.in-addr.arpa", PTR, "7.1.244.10.in-addr.arpa PTR 10-244-1-7.default.pod.cluster.local"))),
                new Row("a pod whose address changes moves its PTR and pod record", defaults.withPodRecords(ZoneSettings.PodRecords.VERIFIED),
                        List.of(put(dbPod), put(pod("default", "db-0", "10.244.1.70", APP_DB, null, null))),
                        List.of(ask("10-244-1-7.default.pod.cluster.local", A, "NXDOMAIN"),
                                ask("7.1.244.10.in-addr.arpa", PTR, "NOT-IN-ZONE"),
                                ask("70.1.244.10.in-addr.arpa", PTR, "70.1.244.10.in-addr.arpa PTR 10-244-1-70.default.pod.cluster.local"))),
                new Row("a Namespace object alone makes its svc name exist; deleting it removes it", defaults, List.of(
                        put(namespace("team")), put(namespace("gone")), del(namespace("gone"))),
                        List.of(ask("team.svc.cluster.local", A, "NODATA"), ask("team.pod.cluster.local", A, "NODATA"),
                                ask("gone.svc.cluster.local", A, "NXDOMAIN"))),
                new Row("the Service IP wins the PTR over a pod with the same address, until it goes", defaults, List.of(
                        put(pod("default", "p", "10.96.0.5", Map.of(), null, null)), put(web), del(web)),
                        List.of(ask("5.0.96.10.in-addr.arpa", PTR, "5.0.96.10.in-addr.arpa PTR 10-96-0-5.default.pod.cluster.local"))),
                new Row("deleting an object never seen changes nothing", defaults, List.of(put(web), del(dbPod)),
                        List.of(ask("web" + Z, A, "web" + Z + " A 10.96.0.5"))));
    }

    private static Pod withContainerPort(Pod pod, String name, int port) {
        return new PodBuilder(pod).editSpec().addNewContainer().withName("c").withPorts(new ContainerPortBuilder()
                .withName(name).withContainerPort(port).build()).endContainer().endSpec().build();
    }

    @TestFactory
    Stream<DynamicTest> incrementalChanges() {
        return rows().stream().map(row -> DynamicTest.dynamicTest(row.name(), () -> {
            ClusterDnsIndex index = new ClusterDnsIndex(row.settings());
            Map<String, HasMetadata> remaining = new LinkedHashMap<>();
            for (Step step : row.steps()) {
                String key = step.object().getKind() + "/" + step.object().getMetadata().getNamespace() + "/"
                        + step.object().getMetadata().getName();
                if (step.delete()) {
                    index.remove(step.object());
                    remaining.remove(key);
                } else {
                    index.upsert(step.object());
                    remaining.put(key, step.object());
                }
            }
            for (Ask ask : row.asks()) {
                assertThat(answer(index.snapshot(), ask.name(), ask.type())).as(ask.name())
                        .containsExactlyInAnyOrderElementsOf(ask.want());
            }
            assertSameZone(index, new ArrayList<>(remaining.values()));
        }));
    }

    @Test
    void anUpdateThatChangesNoRecordKeepsTheSnapshotAndItsSerial() {
        ClusterDnsIndex index = new ClusterDnsIndex(ZoneSettings.defaults());
        index.upsert(pod("default", "p", "10.244.1.7", APP_DB, null, null));
        ZoneSnapshot before = index.snapshot();
        index.upsert(pod("default", "p", "10.244.1.7", Map.of("app", "relabelled"), null, null));
        assertThat(index.snapshot()).as("no Service selects the pod: no record changed").isSameAs(before);
        index.upsert(pod("default", "p", "10.244.1.8", APP_DB, null, null));
        assertThat(index.snapshot().serial()).isGreaterThan(before.serial());
    }

    /** The incrementally kept zone equals the zone built in one go from the same objects. */
    static void assertSameZone(ClusterDnsIndex incremental, List<HasMetadata> objects) {
        ClusterDnsIndex full = new ClusterDnsIndex(incremental.settings());
        full.replaceAll(objects);
        assertThat(incremental.snapshot().names()).isEqualTo(full.snapshot().names());
        assertThat(incremental.snapshot().podAddressKeys()).isEqualTo(full.snapshot().podAddressKeys());
        assertThat(incremental.snapshot().nameCount()).isEqualTo(full.snapshot().nameCount());
    }

    static List<String> answer(ZoneSnapshot zone, String name, int type) {
        return switch (ZoneResolver.resolve(zone, name, type)) {
            case ZoneAnswer.NotInZone n -> List.of("NOT-IN-ZONE");
            case ZoneAnswer.Alias a -> a.chain().stream().map(IncrementalIndexTest::format).toList();
            case ZoneAnswer.Authoritative a -> switch (a.outcome()) {
                case NXDOMAIN -> List.of("NXDOMAIN");
                case NODATA -> List.of("NODATA");
                case FOUND -> a.answers().stream().map(IncrementalIndexTest::format).toList();
            };
        };
    }

    private static String format(ResourceRecord rr) {
        String data = switch (rr.data()) {
            case RecordData.A x -> x.address().getHostAddress();
            case RecordData.Aaaa x -> x.address().getHostAddress();
            case RecordData.Cname x -> x.target();
            case RecordData.Ptr x -> x.target();
            case RecordData.Ns x -> x.host();
            case RecordData.Srv x -> x.port() + " " + x.target();
            case RecordData.Txt x -> String.join(" ", x.strings());
            case RecordData.Soa x -> x.mname();
        };
        return rr.name() + " " + RecordTypes.name(rr.type()) + " " + data;
    }

}
