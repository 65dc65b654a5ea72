package dev.knet.dns.index;

import dev.knet.dns.index.ZoneAnswer.Authoritative;
import dev.knet.dns.index.ZoneAnswer.Outcome;
import dev.knet.dns.index.ZoneSettings.PodRecords;
import dev.knet.model.net.IpAddresses;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers a question from one {@link ZoneSnapshot}: exact-name lookups, CNAME following inside
 * the zone, synthesised pod records and the NXDOMAIN/NODATA distinction (RFC 2308: both carry
 * the zone's SOA in the authority section).
 */
public final class ZoneResolver {

    private static final int MAX_CNAME_CHAIN = 8;

    private ZoneResolver() {
    }

    /**
     * @param qname the question's name as the client spelled it (trailing dot optional)
     * @param qtype the RR type asked for ({@link RecordTypes#ANY} for all)
     */
    public static ZoneAnswer resolve(ZoneSnapshot zone, String qname, int qtype) {
        String spelled = qname.endsWith(".") ? qname.substring(0, qname.length() - 1) : qname;
        String name = DnsNames.normalize(spelled);
        if (!DnsNames.inZone(name, zone.zone())) {
            return reverse(zone, spelled, name, qtype);
        }
        // Allocated only when a CNAME is followed: most questions are answered by one RRset as stored.
        List<ResourceRecord> answers = null;
        Set<String> visited = null;
        String owner = spelled;
        for (int hop = 0; hop < MAX_CNAME_CHAIN; hop++) {
            if (hop > 0 && !visited.add(name)) {
                break; // CNAME loop: answer what we have
            }
            Map<Integer, List<ResourceRecord>> rrsets = rrsetsAt(zone, name);
            if (rrsets == null) {
                return hop == 0 ? negative(zone, Outcome.NXDOMAIN) : found(zone, answers);
            }
            List<ResourceRecord> cname = rrsets.getOrDefault(RecordTypes.CNAME, List.of());
            if (!cname.isEmpty() && qtype != RecordTypes.CNAME && qtype != RecordTypes.ANY) {
                if (answers == null) {
                    answers = new ArrayList<>();
                    visited = new HashSet<>();
                    visited.add(name);
                }
                ResourceRecord alias = renamed(cname.getFirst(), owner);
                answers.add(alias);
                String target = ((RecordData.Cname) alias.data()).target();
                if (!DnsNames.inZone(target, zone.zone())) {
                    return new ZoneAnswer.Alias(answers, target);
                }
                owner = target;
                name = target;
                continue;
            }
            List<ResourceRecord> matched = select(zone, name, rrsets, qtype);
            if (answers == null) {
                return matched.isEmpty() ? negative(zone, Outcome.NODATA) : found(zone, renamed(matched, owner));
            }
            for (ResourceRecord r : matched) {
                answers.add(renamed(r, owner));
            }
            return answers.isEmpty() ? negative(zone, Outcome.NODATA) : found(zone, answers);
        }
        return found(zone, answers == null ? List.of() : answers);
    }

    /** Answers echo the question's spelling; stored records already match a lower-case question. */
    private static ResourceRecord renamed(ResourceRecord r, String owner) {
        return r.name().equals(owner) ? r : r.withName(owner);
    }

    private static List<ResourceRecord> renamed(List<ResourceRecord> records, String owner) {
        if (records.isEmpty() || records.getFirst().name().equals(owner)) {
            return records; // one RRset shares its owner name
        }
        List<ResourceRecord> out = new ArrayList<>(records.size());
        for (ResourceRecord r : records) {
            out.add(renamed(r, owner));
        }
        return out;
    }

    private static List<ResourceRecord> select(ZoneSnapshot zone, String name, Map<Integer, List<ResourceRecord>> rrsets,
                                               int qtype) {
        boolean apex = name.equals(zone.zone());
        if (qtype == RecordTypes.ANY) {
            List<ResourceRecord> all = new ArrayList<>();
            if (apex) {
                all.add(zone.soa());
            }
            rrsets.values().forEach(all::addAll);
            return all;
        }
        if (apex && qtype == RecordTypes.SOA) {
            return List.of(zone.soa());
        }
        return rrsets.getOrDefault(qtype, List.of());
    }

    /** The records at a name, synthesising {@code a-b-c-d.<ns>.pod.<zone>}; null when the name does not exist. */
    private static Map<Integer, List<ResourceRecord>> rrsetsAt(ZoneSnapshot zone, String name) {
        Map<Integer, List<ResourceRecord>> rrsets = zone.rrsetsOrNull(name);
        if (rrsets != null) {
            return rrsets;
        }
        PodRecords mode = zone.settings().podRecords();
        int podSuffixAt = name.length() - zone.zone().length() - ".pod.".length();
        if (mode == PodRecords.DISABLED || podSuffixAt <= 0 || !name.endsWith(zone.zone())
                || !name.startsWith(".pod.", podSuffixAt)) {
            return null;
        }
        String[] labels = name.substring(0, podSuffixAt).split("\\.");
        if (labels.length != 2) {
            return null;
        }
        byte[] address = DnsNames.fromDashed(labels[0]);
        if (address == null || (mode == PodRecords.VERIFIED && !zone.hasPodAddress(labels[1], IpAddresses.format(address)))) {
            return null;
        }
        RecordData data = ZoneRecords.addressRecord(address);
        return Map.of(data.type(), List.of(new ResourceRecord(name, zone.settings().ttl(), data)));
    }

    /** PTR records of known addresses; every other reverse name belongs to upstream resolvers. */
    private static ZoneAnswer reverse(ZoneSnapshot zone, String spelled, String name, int qtype) {
        if (!DnsNames.isReverse(name) || (qtype != RecordTypes.PTR && qtype != RecordTypes.ANY)) {
            return new ZoneAnswer.NotInZone();
        }
        List<ResourceRecord> ptr = zone.records(name, RecordTypes.PTR);
        if (ptr.isEmpty()) {
            return new ZoneAnswer.NotInZone();
        }
        return new Authoritative(Outcome.FOUND, ptr.stream().map(r -> r.withName(spelled)).toList(), List.of(), List.of());
    }

    private static Authoritative negative(ZoneSnapshot zone, Outcome outcome) {
        return new Authoritative(outcome, List.of(), List.of(zone.soa()), List.of());
    }

    /** SRV answers carry their in-zone targets' addresses as additional records (spec 2.3.2, 2.4.2). */
    private static Authoritative found(ZoneSnapshot zone, List<ResourceRecord> answers) {
        if (!hasSrv(answers)) {
            return new Authoritative(Outcome.FOUND, answers, List.of(), List.of());
        }
        List<ResourceRecord> additional = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ResourceRecord r : answers) {
            if (r.data() instanceof RecordData.Srv srv && seen.add(srv.target())) {
                additional.addAll(zone.records(srv.target(), RecordTypes.A));
                additional.addAll(zone.records(srv.target(), RecordTypes.AAAA));
            }
        }
        return new Authoritative(Outcome.FOUND, answers, List.of(), additional);
    }

    private static boolean hasSrv(List<ResourceRecord> answers) {
        for (ResourceRecord r : answers) {
            if (r.data() instanceof RecordData.Srv) {
                return true;
            }
        }
        return false;
    }
}
