package dev.knet.dns.index;

import io.fabric8.kubernetes.api.model.HasMetadata;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.knet.dns.index.ZoneObjects.clusterIp;
import static dev.knet.dns.index.ZoneObjects.externalName;
import static dev.knet.dns.index.ZoneObjects.headless;
import static dev.knet.dns.index.ZoneObjects.slice;

/**
 * Random histories of writes and deletes over a small universe of names (so objects collide:
 * shared addresses, pods selected by several Services, slices switching Services): after every
 * step the incrementally kept zone must equal the zone built from scratch from what remains.
 */
class IncrementalIndexPropertiesTest {

    private record Change(boolean delete, HasMetadata object) {
    }

    @Property(tries = 200)
    void incrementalEqualsRebuilt(@ForAll("histories") List<Change> history, @ForAll boolean verifiedPods,
                                  @ForAll boolean slicesOnly) {
        ZoneSettings settings = ZoneSettings.defaults()
                .withPodRecords(verifiedPods ? ZoneSettings.PodRecords.VERIFIED : ZoneSettings.PodRecords.INSECURE)
                .withEndpointSource(slicesOnly ? ZoneSettings.EndpointSource.SLICES : ZoneSettings.EndpointSource.SLICES_OR_PODS);
        ClusterDnsIndex index = new ClusterDnsIndex(settings);
        Map<String, HasMetadata> remaining = new LinkedHashMap<>();
        for (Change change : history) {
            HasMetadata o = change.object();
            String key = o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
            if (change.delete()) {
                index.remove(o);
                remaining.remove(key);
            } else {
                index.upsert(o);
                remaining.put(key, o);
            }
            IncrementalIndexTest.assertSameZone(index, new ArrayList<>(remaining.values()));
        }
    }

    @Provide
    Arbitrary<List<Change>> histories() {
        Arbitrary<HasMetadata> objects = Arbitraries.oneOf(services(), pods(), slices(), namespaces());
        return Combinators.combine(Arbitraries.of(true, false, false), objects).as(Change::new).list().ofMaxSize(25);
    }

    private static Arbitrary<String> ns() {
        return Arbitraries.of("a", "b");
    }

    private static Arbitrary<String> podIp() {
        return Arbitraries.of("10.244.0.1", "10.244.0.2", "10.96.0.1", "fd00::1");
    }

    private static Arbitrary<Map<String, String>> labels() {
        return Arbitraries.of(Map.of("app", "x"), Map.of("app", "y"), Map.of());
    }

    private static Arbitrary<HasMetadata> namespaces() {
        return ns().map(ZoneObjects::namespace);
    }

    private static Arbitrary<HasMetadata> services() {
        Arbitrary<String> names = Arbitraries.of("s1", "s2", "sub");
        Arbitrary<String[]> ports = Arbitraries.of(new String[] {"http:80"}, new String[] {"http:80>web", "dns:53/UDP"},
                new String[] {}, new String[] {":8080"});
        return Combinators.combine(ns(), names, Arbitraries.integers().between(0, 3), labels(), ports)
                .as((ns, name, type, selector, p) -> switch (type) {
                    case 0 -> clusterIp(ns, name, "10.96.0." + (name.length() + p.length), p);
                    case 1 -> clusterIp(ns, name, "10.96.0.1", p);
                    case 2 -> externalName(ns, name, "ext.example.org");
                    default -> headless(ns, name, selector, p);
                });
    }

    private static Arbitrary<HasMetadata> pods() {
        Arbitrary<String> hostnames = Arbitraries.of("h1", "h2").injectNull(0.3);
        Arbitrary<String> subdomains = Arbitraries.of("sub", "s1").injectNull(0.3);
        return Combinators.combine(ns(), Arbitraries.of("p1", "p2", "p3"), podIp(), labels(), hostnames, subdomains)
                .as(ZoneObjects::pod);
    }

    private static Arbitrary<HasMetadata> slices() {
        Arbitrary<String[]> endpoints = Arbitraries.of(new String[] {"10.244.0.1=h1"}, new String[] {"10.244.0.2", "10.244.0.1!"},
                new String[] {"10.96.0.1=h2", "10.244.0.9"}, new String[] {});
        return Combinators.combine(ns(), Arbitraries.of("e1", "e2"), Arbitraries.of("s1", "s2", "sub"), endpoints)
                .as((ns, name, service, eps) -> slice(ns, name, service, Map.of("http", 8080), eps));
    }

}
