package dev.knet.dns.index;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable view of the cluster zone at one moment: every owner name (lower case, no trailing
 * dot) mapped to its RRsets. Names that exist only because something lives below them (empty
 * non-terminals such as {@code default.svc.cluster.local}) map to an empty RRset map, which is
 * what separates NODATA from NXDOMAIN. Readers share one instance without locks; the index swaps
 * in a new one on every change, which shares all unchanged parts of the name table with this one.
 */
public final class ZoneSnapshot {

    private final ZoneSettings settings;
    private final NameTable<Map<Integer, List<ResourceRecord>>> nodes;
    private final NameTable<Boolean> podAddresses;
    private final ResourceRecord soa;
    private final long serial;

    ZoneSnapshot(ZoneSettings settings, NameTable<Map<Integer, List<ResourceRecord>>> nodes,
                 NameTable<Boolean> podAddresses, long serial) {
        this.settings = settings;
        this.nodes = nodes;
        this.podAddresses = podAddresses;
        this.serial = serial;
        this.soa = soaRecord(settings, serial);
    }

    /** The zone's SOA: its MINIMUM is the TTL of negative answers (RFC 2308), kept equal to the record TTL. */
    private static ResourceRecord soaRecord(ZoneSettings s, long serial) {
        String zone = s.zone();
        var data = new RecordData.Soa("ns.dns." + zone, "hostmaster." + zone, serial, 7200, 1800, 86400, (int) s.ttl());
        return new ResourceRecord(zone, s.ttl(), data);
    }

    public ZoneSettings settings() {
        return settings;
    }

    public String zone() {
        return settings.zone();
    }

    public long serial() {
        return serial;
    }

    public ResourceRecord soa() {
        return soa;
    }

    /** Whether the name exists in the zone at all (with records, or as an empty non-terminal). */
    public boolean exists(String name) {
        return nodes.containsKey(name);
    }

    /** The RRsets at a name, empty when the name has none or does not exist. */
    public Map<Integer, List<ResourceRecord>> rrsets(String name) {
        return Objects.requireNonNullElse(nodes.get(name), Map.of());
    }

    /** The RRsets at a name, or null when the name does not exist: exists and rrsets in one lookup. */
    public Map<Integer, List<ResourceRecord>> rrsetsOrNull(String name) {
        return nodes.get(name);
    }

    public List<ResourceRecord> records(String name, int type) {
        return rrsets(name).getOrDefault(type, List.of());
    }

    /** Whether a pod in the namespace has the address (canonical text), for verified pod records. */
    public boolean hasPodAddress(String namespace, String address) {
        return podAddresses.containsKey(namespace + "/" + address);
    }

    /** Every name with its RRsets (a copy, for comparing zones in tests; not for the query path). */
    Map<String, Map<Integer, List<ResourceRecord>>> names() {
        Map<String, Map<Integer, List<ResourceRecord>>> out = new java.util.HashMap<>();
        nodes.forEach(out::put);
        return out;
    }

    /** Every namespace/address pair that verified pod records accept (a copy, for tests). */
    java.util.Set<String> podAddressKeys() {
        java.util.Set<String> out = new java.util.HashSet<>();
        podAddresses.forEach((key, present) -> out.add(key));
        return out;
    }

    public int nameCount() {
        return nodes.size();
    }
}
