package dev.knet.policy.observe;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The time limits {@code knet observe} reads: "30s", "500ms", "2m", "1h", bare seconds, or ISO-8601 ("PT30S"). */
final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)?");

    private Durations() {
    }

    /** Empty when {@code text} is none of the accepted forms. */
    static Optional<Duration> parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt")) {
                return Optional.of(Duration.parse(t));
            }
            Matcher m = SHORT.matcher(t);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return Optional.of(switch (m.group(2) == null ? "s" : m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofSeconds(n);
                });
            }
        } catch (RuntimeException e) {
            // unreadable, or too large: the caller says what is accepted
        }
        return Optional.empty();
    }
}
