package dev.knet.cni.plugin;

import java.util.List;

/**
 * The host-local-compatible subset knet's built-in IPAM understands: one range given either flat
 * ({@code subnet}, {@code rangeStart}, ...) or as host-local's {@code ranges: [[{...}]]} (first used).
 */
public record IpamConf(String type, String subnet, String rangeStart, String rangeEnd, String gateway,
                       String dataDir, List<List<Range>> ranges) {

    public static final String DEFAULT_DATA_DIR = "/var/lib/cni/networks";

    public record Range(String subnet, String rangeStart, String rangeEnd, String gateway) {
    }

    /** The effective single range. */
    public Range range() {
        if (subnet != null) {
            return new Range(subnet, rangeStart, rangeEnd, gateway);
        }
        if (ranges != null && !ranges.isEmpty() && !ranges.getFirst().isEmpty()) {
            return ranges.getFirst().getFirst();
        }
        return null;
    }

    public String dataDirOrDefault() {
        return dataDir == null ? DEFAULT_DATA_DIR : dataDir;
    }
}
