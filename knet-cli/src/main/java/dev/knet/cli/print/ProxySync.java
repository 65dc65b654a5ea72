package dev.knet.cli.print;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A node Service proxy's sync state as its Prometheus endpoint reports it: the time of its last successful
 * sync ({@code knet_proxy_last_successful_sync_seconds}, 0 before the first) and its failed syncs
 * ({@code knet_proxy_sync_failures_total}).
 */
public record ProxySync(Optional<Instant> lastSuccess, long failures) {

    private static final String LAST_SYNC = "knet_proxy_last_successful_sync_seconds";
    private static final String FAILURES = "knet_proxy_sync_failures_total";

    /** Reads the two meters from the text exposition format; a meter that is absent reads as never/zero. */
    public static ProxySync parse(String metrics) {
        Optional<Instant> last = Optional.empty();
        long failures = 0;
        for (String line : metrics.lines().toList()) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] parts = line.strip().split("\\s+");
            if (parts.length < 2) {
                continue;
            }
            String name = parts[0].contains("{") ? parts[0].substring(0, parts[0].indexOf('{')) : parts[0];
            try {
                double value = Double.parseDouble(parts[1]);
                if (name.equals(LAST_SYNC) && value > 0) {
                    last = Optional.of(Instant.ofEpochMilli(Math.round(value * 1000)));
                } else if (name.equals(FAILURES)) {
                    failures += Math.round(value);
                }
            } catch (NumberFormatException ignored) {
                // not a sample line of ours
            }
        }
        return new ProxySync(last, failures);
    }

    /** "synced 4s ago", "synced 4s ago, 2 failed syncs", or "not synced yet". */
    public String describe(Instant now) {
        String synced = lastSuccess.map(t -> "synced " + Ages.format(Duration.between(t, now)) + " ago")
                .orElse("not synced yet");
        return failures == 0 ? synced : synced + ", " + failures + " failed sync" + (failures == 1 ? "" : "s");
    }
}
