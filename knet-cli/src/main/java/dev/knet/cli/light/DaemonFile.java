package dev.knet.cli.light;

import java.util.HashMap;
import java.util.Map;

/**
 * The fields of daemon.json the light client needs, read by hand: the daemon writes it with the Kubernetes
 * JSON mapper, but loading that mapper is most of what the light client exists to avoid. Reads one JSON
 * object; top-level fields of any JSON type are accepted, nested values are skipped.
 *
 * @param tablesUrl null when the daemon predates rendered tables
 */
public record DaemonFile(long pid, String apiUrl, String tablesUrl) {

    /** daemon.json is not what a daemon writes. */
    public static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message);
        }
    }

    public static DaemonFile parse(String json) throws MalformedException {
        Map<String, Object> fields = new Reader(json).document();
        if (!(fields.get("pid") instanceof Long pid)) {
            throw new MalformedException("no numeric pid");
        }
        return new DaemonFile(pid, text(fields, "apiUrl"), text(fields, "tablesUrl"));
    }

    private static String text(Map<String, Object> fields, String name) throws MalformedException {
        Object v = fields.get(name);
        if (v != null && !(v instanceof String)) {
            throw new MalformedException(name + " is not a string");
        }
        return (String) v;
    }

    /** A recursive-descent reader over the text; top-level values become String, Long, Boolean or null. */
    private static final class Reader {
        private final String s;
        private int i;

        Reader(String s) {
            this.s = s;
        }

        Map<String, Object> document() throws MalformedException {
            Map<String, Object> fields = new HashMap<>();
            expect('{');
            if (peek() == '}') {
                i++;
            } else {
                do {
                    String key = string();
                    expect(':');
                    fields.put(key, value(true));
                } while (comma('}'));
            }
            if (peek() != 0) {
                throw new MalformedException("text after the object at " + i);
            }
            return fields;
        }

        /** A value; nested objects and arrays are read past and yield null. */
        private Object value(boolean keep) throws MalformedException {
            char c = peek();
            switch (c) {
                case '"' -> {
                    return string();
                }
                case '{' -> {
                    i++;
                    if (peek() == '}') {
                        i++;
                    } else {
                        do {
                            string();
                            expect(':');
                            value(false);
                        } while (comma('}'));
                    }
                    return null;
                }
                case '[' -> {
                    i++;
                    if (peek() == ']') {
                        i++;
                    } else {
                        do {
                            value(false);
                        } while (comma(']'));
                    }
                    return null;
                }
                default -> {
                    int start = i;
                    while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0) {
                        i++;
                    }
                    return literal(s.substring(start, i), keep);
                }
            }
        }

        private static Object literal(String word, boolean keep) throws MalformedException {
            switch (word) {
                case "true", "false" -> {
                    return Boolean.valueOf(word);
                }
                case "null" -> {
                    return null;
                }
                default -> {
                    if (!number(word)) {
                        throw new MalformedException("not a JSON value: " + word);
                    }
                    return keep && integer(word) ? Long.valueOf(Long.parseLong(word)) : word;
                }
            }
        }

        /*
         * Plain loops rather than regexes, streams or lambdas: each of those costs the light client milliseconds
         * of class loading and call-site linking at start.
         */

        /** Loosely a JSON number: a sign or digit first, then digits, '.', exponents. */
        private static boolean number(String word) {
            if (word.isEmpty() || !(word.charAt(0) == '-' || Character.isDigit(word.charAt(0)))) {
                return false;
            }
            for (int k = 0; k < word.length(); k++) {
                char c = word.charAt(k);
                if (!Character.isDigit(c) && "+-.eE".indexOf(c) < 0) {
                    return false;
                }
            }
            return true;
        }

        /** An integer that fits a long without overflow checks. */
        private static boolean integer(String word) {
            int start = word.startsWith("-") ? 1 : 0;
            if (word.length() == start || word.length() - start > 18) {
                return false;
            }
            for (int k = start; k < word.length(); k++) {
                if (!Character.isDigit(word.charAt(k))) {
                    return false;
                }
            }
            return true;
        }

        private String string() throws MalformedException {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    break;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw new MalformedException("short \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw new MalformedException("bad \\u escape at " + i);
                        }
                        i += 4;
                    }
                    default -> throw new MalformedException("bad escape \\" + e);
                }
            }
            throw new MalformedException("unterminated string");
        }

        /** After a member: true on ',' (another follows), false on the closing character. */
        private boolean comma(char close) throws MalformedException {
            char c = peek();
            i++;
            if (c == ',') {
                return true;
            }
            if (c == close) {
                return false;
            }
            throw new MalformedException("expected ',' or '" + close + "' at " + (i - 1));
        }

        private void expect(char c) throws MalformedException {
            if (peek() != c) {
                throw new MalformedException("expected '" + c + "' at " + i);
            }
            i++;
        }

        /** The next non-blank character (0 at the end), not consumed. */
        private char peek() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            return i < s.length() ? s.charAt(i) : 0;
        }
    }
}
