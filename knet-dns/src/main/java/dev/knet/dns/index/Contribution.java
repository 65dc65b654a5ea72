package dev.knet.dns.index;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one object (a Service, a Pod, a Namespace, the apex) puts into the zone: records by owner
 * name (a name with an empty list exists without records of its own), claims on the PTR of its
 * addresses, and the pod addresses that verified pod records accept. The index keeps one per
 * object and, when the object changes, re-publishes only the names where old and new differ.
 */
record Contribution(Map<String, List<ResourceRecord>> names, List<PtrClaim> ptrs, Set<String> podAddresses) {

    static final Contribution NONE = new Contribution(Map.of(), List.of(), Set.of());

    Contribution {
        Map<String, List<ResourceRecord>> frozen = new LinkedHashMap<>();
        names.forEach((name, records) -> frozen.put(name, List.copyOf(records)));
        names = java.util.Collections.unmodifiableMap(frozen);
        ptrs = List.copyOf(ptrs);
        podAddresses = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(podAddresses));
    }

    /**
     * A wish to be the PTR target of an address. When several objects share an address the
     * lowest precedence wins (Service IP, then endpoint, then pod), then the smallest target.
     */
    record PtrClaim(String reverse, int precedence, String target) implements Comparable<PtrClaim> {
        static final int SERVICE = 0;
        static final int ENDPOINT = 1;
        static final int POD = 2;

        @Override
        public int compareTo(PtrClaim o) {
            int c = Integer.compare(precedence, o.precedence);
            return c != 0 ? c : target.compareTo(o.target);
        }
    }

    /** Collects one object's records; a record already present at its name is not added twice. */
    static final class Builder {
        private final long ttl;
        private final Map<String, List<ResourceRecord>> names = new LinkedHashMap<>();
        private final List<PtrClaim> ptrs = new ArrayList<>();
        private final Set<String> podAddresses = new LinkedHashSet<>();

        Builder(long ttl) {
            this.ttl = ttl;
        }

        Builder add(String name, RecordData data) {
            ResourceRecord record = new ResourceRecord(name, ttl, data);
            List<ResourceRecord> rrs = names.computeIfAbsent(name, n -> new ArrayList<>());
            if (!rrs.contains(record)) {
                rrs.add(record);
            }
            return this;
        }

        /** Declares that a name exists even though this object puts no record there. */
        Builder touch(String name) {
            names.computeIfAbsent(name, n -> new ArrayList<>());
            return this;
        }

        Builder ptr(byte[] address, String target, int precedence) {
            ptrs.add(new PtrClaim(DnsNames.reverseName(address), precedence, target));
            return this;
        }

        Builder podAddress(String namespace, String address) {
            podAddresses.add(namespace + "/" + address);
            return this;
        }

        Contribution build() {
            return names.isEmpty() && ptrs.isEmpty() && podAddresses.isEmpty()
                    ? NONE : new Contribution(names, ptrs, podAddresses);
        }
    }
}
