package dev.knet.policy.matrix;

import dev.knet.policy.Protocol;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders matrix rows as the e2e truth tables do (rows = from, columns = to; '.' allowed,
 * 'X' denied, '~' a pod to itself) or as a JSON array of rows.
 */
public final class MatrixRenderer {

    private MatrixRenderer() {
    }

    /** One table for one port and protocol, pods in the given order. */
    public static String table(List<String> pods, List<MatrixRow> rows, int port, Protocol protocol) {
        Map<String, Boolean> cells = new HashMap<>();
        for (MatrixRow row : rows) {
            if (row.port() == port && row.protocol() == protocol) {
                cells.put(row.from() + "\u0000" + row.to(), row.allowed());
            }
        }
        String corner = "from\\to";
        int labelWidth = corner.length();
        int cellWidth = 1;
        for (String pod : pods) {
            labelWidth = Math.max(labelWidth, pod.length());
            cellWidth = Math.max(cellWidth, pod.length());
        }
        labelWidth += 1;
        cellWidth += 2;
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder(pad(corner, labelWidth));
        for (String to : pods) {
            line.append(pad(to, cellWidth));
        }
        out.append(line.toString().stripTrailing()).append('\n');
        for (String from : pods) {
            line = new StringBuilder(pad(from, labelWidth));
            for (String to : pods) {
                Boolean allowed = cells.get(from + "\u0000" + to);
                String cell = from.equals(to) ? "~" : allowed == null ? "?" : allowed ? "." : "X";
                // the e2e tables put each cell under the middle of its column's name
                line.append(pad(" ".repeat((cellWidth - 2) / 2) + cell, cellWidth));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** Every table of the rows, one per port and protocol, each under a "PROTO/PORT:" heading. */
    public static String tables(List<String> pods, List<MatrixRow> rows, List<Integer> ports, List<Protocol> protocols) {
        StringBuilder out = new StringBuilder();
        for (int port : ports) {
            for (Protocol protocol : protocols) {
                if (!out.isEmpty()) {
                    out.append('\n');
                }
                out.append(protocol).append('/').append(port).append(":\n").append(table(pods, rows, port, protocol));
            }
        }
        return out.toString();
    }

    public static String json(List<MatrixRow> rows) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < rows.size(); i++) {
            MatrixRow r = rows.get(i);
            out.append(i == 0 ? "\n  " : ",\n  ")
                    .append("{\"from\":").append(quote(r.from()))
                    .append(",\"to\":").append(quote(r.to()))
                    .append(",\"port\":").append(r.port())
                    .append(",\"protocol\":").append(quote(r.protocol().name()))
                    .append(",\"allowed\":").append(r.allowed())
                    .append(",\"reason\":").append(quote(r.reason())).append('}');
        }
        return out.append(rows.isEmpty() ? "]" : "\n]").append('\n').toString();
    }

    /** {@code s} as a JSON string literal: quotes, backslashes and control characters escaped. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}
