package dev.knet.dns.index;

import java.util.Locale;
import java.util.Objects;

/**
 * What shapes the zone: its name, the TTL of every record (and of negative answers), how pod
 * A records {@code a-b-c-d.<ns>.pod.<zone>} are answered, and where headless endpoints come from.
 */
public record ZoneSettings(String zone, long ttl, PodRecords podRecords, EndpointSource endpointSource) {

    public static final String DEFAULT_ZONE = "cluster.local";
    public static final long DEFAULT_TTL = 30;

    /** Pod records per the specification's section 2.6 (deprecated but required). */
    public enum PodRecords {
        /** Any well-formed dashed address answers (what the specification requires). */
        INSECURE,
        /** Only addresses of pods known in that namespace answer. */
        VERIFIED,
        DISABLED
    }

    /** Where a selector-bearing Service's endpoints come from. */
    public enum EndpointSource {
        /** EndpointSlices only, as a DNS server behind a real API server sees them. */
        SLICES,
        /** EndpointSlices, or pods matching the selector when the Service has no slice (manifests alone). */
        SLICES_OR_PODS
    }

    public ZoneSettings {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(podRecords, "podRecords");
        Objects.requireNonNull(endpointSource, "endpointSource");
        zone = DnsNames.normalize(zone);
        if (zone.isEmpty()) {
            throw new IllegalArgumentException("zone must not be the root");
        }
        if (ttl < 0 || ttl > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ttl out of range: " + ttl);
        }
        zone = zone.toLowerCase(Locale.ROOT);
    }

    public static ZoneSettings defaults() {
        return new ZoneSettings(DEFAULT_ZONE, DEFAULT_TTL, PodRecords.INSECURE, EndpointSource.SLICES_OR_PODS);
    }

    public ZoneSettings withZone(String newZone) {
        return new ZoneSettings(newZone, ttl, podRecords, endpointSource);
    }

    public ZoneSettings withTtl(long newTtl) {
        return new ZoneSettings(zone, newTtl, podRecords, endpointSource);
    }

    public ZoneSettings withPodRecords(PodRecords mode) {
        return new ZoneSettings(zone, ttl, mode, endpointSource);
    }

    public ZoneSettings withEndpointSource(EndpointSource source) {
        return new ZoneSettings(zone, ttl, podRecords, source);
    }
}
