package dev.knet.dns.index;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable view of the cluster zone at one moment: every owner name (lower case, no trailing
 * dot) mapped to its RRsets. Names that exist only because something lives below them (empty
 * non-terminals such as {@code default.svc.cluster.local}) map to an empty RRset map, which is
 * what separates NODATA from NXDOMAIN. Readers share one instance without locks; the index swaps
 * in a new one on every change.
 */
public final class ZoneSnapshot {

    private final ZoneSettings settings;
    private final Map<String, Map<Integer, List<ResourceRecord>>> nodes;
    private final Set<String> podAddresses;
    private final ResourceRecord soa;
    private final long serial;

    private ZoneSnapshot(ZoneSettings settings, Map<String, Map<Integer, List<ResourceRecord>>> nodes,
                         Set<String> podAddresses, long serial) {
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
        return nodes.getOrDefault(name, Map.of());
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
        return podAddresses.contains(namespace + "/" + address);
    }

    public int nameCount() {
        return nodes.size();
    }

    static Builder builder(ZoneSettings settings) {
        return new Builder(settings);
    }

    /** Collects records; names below the zone apex get their ancestors added as empty non-terminals. */
    static final class Builder {
        private final ZoneSettings settings;
        private final Map<String, Map<Integer, List<ResourceRecord>>> nodes = new HashMap<>();
        private final java.util.HashSet<String> podAddresses = new java.util.HashSet<>();

        private Builder(ZoneSettings settings) {
            this.settings = settings;
        }

        Builder add(String name, RecordData data) {
            return add(new ResourceRecord(name, settings.ttl(), data));
        }

        Builder add(ResourceRecord record) {
            List<ResourceRecord> rrset = node(record.name()).computeIfAbsent(record.type(), t -> new ArrayList<>());
            if (!rrset.contains(record)) {
                rrset.add(record);
            }
            return this;
        }

        /** Declares that a name exists even though it may hold no records of its own. */
        Builder touch(String name) {
            node(name);
            return this;
        }

        boolean has(String name) {
            return nodes.containsKey(name);
        }

        Builder podAddress(String namespace, String address) {
            podAddresses.add(namespace + "/" + address);
            return this;
        }

        private Map<Integer, List<ResourceRecord>> node(String name) {
            Map<Integer, List<ResourceRecord>> node = nodes.get(name);
            if (node != null) {
                return node;
            }
            node = new LinkedHashMap<>();
            nodes.put(name, node);
            String zone = settings.zone();
            if (!name.equals(zone) && name.endsWith("." + zone)) {
                node(name.substring(name.indexOf('.') + 1));
            }
            return node;
        }

        ZoneSnapshot build(long serial) {
            Map<String, Map<Integer, List<ResourceRecord>>> frozen = new HashMap<>(nodes.size() * 2);
            nodes.forEach((name, rrsets) -> {
                Map<Integer, List<ResourceRecord>> f = new LinkedHashMap<>();
                rrsets.forEach((type, list) -> f.put(type, List.copyOf(list)));
                frozen.put(name, Map.copyOf(f));
            });
            return new ZoneSnapshot(settings, Map.copyOf(frozen), Set.copyOf(podAddresses), serial);
        }
    }
}
