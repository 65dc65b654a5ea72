package dev.knet.bench.dns;

import dev.knet.model.KnetJson;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one {@link BenchZone} for each server of the DNS benchmark:
 * <ul>
 *   <li>{@code manifests/zone.yaml}: the Services and EndpointSlices knet serves;</li>
 *   <li>{@code dnsmasq.hosts} (addn-hosts: every A record) and {@code dnsmasq.conf} (srv-host
 *       lines, and local=/zone/ so absent names in the zone get NXDOMAIN instead of a forward);</li>
 *   <li>{@code unbound-zone.conf}: a static local-zone with SOA, NS and local-data lines;</li>
 *   <li>{@code queries.txt}: the dnsperf query file; {@code expected.txt}: a sample of it with the
 *       rcode each query must get, for a check with dig before measuring.</li>
 * </ul>
 * Usage: {@code BenchZoneFiles DIR [SERVICES HEADLESS ENDPOINTS NAMESPACES QUERIES A% SRV%]}.
 */
public final class BenchZoneFiles {

    private BenchZoneFiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: BenchZoneFiles DIR [SERVICES HEADLESS ENDPOINTS NAMESPACES QUERIES A% SRV%]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int services = intArg(args, 1, 1000);
        int headless = intArg(args, 2, 100);
        int endpoints = intArg(args, 3, 3);
        int namespaces = intArg(args, 4, 10);
        int queryCount = intArg(args, 5, 100_000);
        int aHits = intArg(args, 6, 70);
        int srv = intArg(args, 7, 15);
        BenchZone zone = BenchZone.generate(services, headless, endpoints, namespaces);
        Files.createDirectories(dir.resolve("manifests"));
        Files.writeString(dir.resolve("manifests/zone.yaml"), manifests(zone.objects()));
        List<BenchZone.FlatRecord> records = zone.records();
        Files.write(dir.resolve("dnsmasq.hosts"), dnsmasqHosts(records));
        Files.write(dir.resolve("dnsmasq.conf"), dnsmasqConf(zone.zone(), records));
        Files.write(dir.resolve("unbound-zone.conf"), unboundZone(zone.zone(), records));
        List<BenchZone.Query> queries = zone.queries(queryCount, aHits, srv, 42);
        Files.write(dir.resolve("queries.txt"), queries.stream().map(q -> q.name() + " " + q.type()).toList());
        Files.write(dir.resolve("expected.txt"), sample(queries));
        System.out.printf("zone %s: %d ClusterIP + %d headless Services (%d endpoints each), %d records, %d queries"
                        + " (%d%% A, %d%% SRV, %d%% NXDOMAIN)%n", zone.zone(), services, headless, endpoints,
                records.size(), queryCount, aHits, srv, 100 - aHits - srv);
    }

    private static int intArg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }

    private static String manifests(List<HasMetadata> objects) {
        StringBuilder out = new StringBuilder();
        for (HasMetadata o : objects) {
            String yaml = KnetJson.toYaml(o);
            out.append(yaml.startsWith("---") ? "" : "---\n").append(yaml);
            if (!yaml.endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static List<String> dnsmasqHosts(List<BenchZone.FlatRecord> records) {
        return records.stream().filter(r -> r.type().equals("A")).map(r -> r.data() + " " + r.name()).toList();
    }

    private static List<String> dnsmasqConf(String zone, List<BenchZone.FlatRecord> records) {
        List<String> out = new ArrayList<>();
        out.add("local=/" + zone + "/");
        for (BenchZone.FlatRecord r : records) {
            if (r.type().equals("SRV")) {
                // data is "PRIORITY WEIGHT PORT TARGET."; srv-host wants name,target,port,priority,weight
                String[] f = r.data().split(" ");
                String target = f[3].substring(0, f[3].length() - 1);
                out.add("srv-host=" + r.name() + "," + target + "," + f[2] + "," + f[0] + "," + f[1]);
            }
        }
        return out;
    }

    private static List<String> unboundZone(String zone, List<BenchZone.FlatRecord> records) {
        List<String> out = new ArrayList<>();
        out.add("  local-zone: \"" + zone + ".\" static");
        out.add("  local-data: \"" + zone + ". 30 IN SOA ns.dns." + zone + ". hostmaster." + zone
                + ". 1 7200 1800 86400 30\"");
        out.add("  local-data: \"" + zone + ". 30 IN NS ns.dns." + zone + ".\"");
        for (BenchZone.FlatRecord r : records) {
            out.add("  local-data: \"" + r.name() + ". 30 IN " + r.type() + " " + r.data() + "\"");
        }
        return out;
    }

    /** The first few queries of each type and rcode: "name type rcode". */
    private static List<String> sample(List<BenchZone.Query> queries) {
        Map<String, List<String>> byKind = new LinkedHashMap<>();
        for (BenchZone.Query q : queries) {
            List<String> kind = byKind.computeIfAbsent(q.type() + q.rcode(), k -> new ArrayList<>());
            if (kind.size() < 3) {
                kind.add(q.name() + " " + q.type() + " " + q.rcode());
            }
        }
        return byKind.values().stream().flatMap(List::stream).toList();
    }
}
