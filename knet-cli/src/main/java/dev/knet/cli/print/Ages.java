package dev.knet.cli.print;

import java.time.Duration;
import java.time.Instant;

/** kubectl's AGE column: 45s, 12m, 3h, 5d. */
final class Ages {

    private Ages() {
    }

    static String since(String timestamp, Instant now) {
        if (timestamp == null || timestamp.isEmpty()) {
            return "<unknown>";
        }
        Duration d = Duration.between(Instant.parse(timestamp), now);
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 3600 * 3) {
            return (s / 60) + "m";
        }
        if (s < 86400 * 2) {
            return (s / 3600) + "h";
        }
        return (s / 86400) + "d";
    }
}
