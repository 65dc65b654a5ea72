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
        return format(Duration.between(Instant.parse(timestamp), now));
    }

    static String format(Duration d) {
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
