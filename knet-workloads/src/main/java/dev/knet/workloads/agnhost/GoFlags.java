package dev.knet.workloads.agnhost;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Command-line flags the way agnhost's cobra/pflag reads them: {@code --name=value},
 * {@code --name value}, and booleans as {@code --name} or {@code --name=false}. Unknown flags
 * are an error, as in agnhost, so a typo shows up in the pod's status instead of being ignored.
 */
public record GoFlags(Map<String, String> values, List<String> positional) {

    /** What kind of value a flag takes. */
    public enum Kind { BOOL, VALUE }

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    public GoFlags {
        values = Map.copyOf(values);
        positional = List.copyOf(positional);
    }

    public static GoFlags parse(List<String> args, Map<String, Kind> spec) throws AgnhostUsageException {
        Map<String, String> values = new HashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-") || arg.equals("-")) {
                positional.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                positional.addAll(args.subList(i + 1, args.size()));
                break;
            }
            String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            Kind kind = spec.get(name);
            if (kind == null) {
                throw new AgnhostUsageException("unknown flag: --" + name);
            }
            if (eq >= 0) {
                values.put(name, body.substring(eq + 1));
            } else if (kind == Kind.BOOL) {
                values.put(name, "true");
            } else if (i + 1 < args.size()) {
                values.put(name, args.get(++i));
            } else {
                throw new AgnhostUsageException("flag needs an argument: --" + name);
            }
        }
        return new GoFlags(values, positional);
    }

    public String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public int integer(String name, int fallback) throws AgnhostUsageException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new AgnhostUsageException("invalid argument \"" + v + "\" for \"--" + name + "\" flag: not an integer");
        }
    }

    public boolean bool(String name, boolean fallback) throws AgnhostUsageException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        return switch (v.strip().toLowerCase()) {
            case "true", "t", "1" -> true;
            case "false", "f", "0" -> false;
            default -> throw new AgnhostUsageException("invalid argument \"" + v + "\" for \"--" + name + "\" flag");
        };
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public Duration duration(String name, Duration fallback) throws AgnhostUsageException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return parseDuration(v);
        } catch (IllegalArgumentException e) {
            throw new AgnhostUsageException("invalid argument \"" + v + "\" for \"--" + name + "\" flag: " + e.getMessage());
        }
    }

    /** Go's time.ParseDuration for the units tests use ("1s", "500ms", "1m30s", "0"). */
    public static Duration parseDuration(String text) {
        String s = text.strip();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION_PART.matcher(s);
        long nanos = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double amount = Double.parseDouble(m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos += (long) (amount * unit);
            end = m.end();
        }
        if (end != s.length() || end == 0) {
            throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
        }
        return Duration.ofNanos(nanos);
    }
}
