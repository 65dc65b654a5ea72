package dev.knet.policy.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders verify rows: the table FROM TO PORT MODEL PROBE REASON, the reachability matrix, then a
 * summary and every mismatch.
 */
public final class VerifyReport {

    private VerifyReport() {
    }

    public static String table(List<VerifyRow> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[]{"FROM", "TO", "PORT", "MODEL", "PROBE", "REASON"});
        for (VerifyRow r : rows) {
            String probe = r.probe().word() + (r.agreement() == VerifyRow.Agreement.DISAGREE ? " (MISMATCH)" : "");
            cells.add(new String[]{r.pair().from(), r.pair().to(), r.pair().port() + "/" + r.pair().protocol(),
                    r.modelAllowed() ? "allowed" : "denied", probe, r.reason()});
        }
        int[] width = new int[5];
        for (String[] row : cells) {
            for (int c = 0; c < width.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : cells) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < width.length; c++) {
                line.append(row[c]).append(" ".repeat(width[c] - row[c].length() + 2));
            }
            out.append(line.append(row[5]).toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /**
     * The reachability matrix, as the Kubernetes e2e policy tests print theirs: a row per source, a column
     * per destination and port; {@code +} allowed and connected, {@code -} denied and dropped, {@code !}
     * model and probe disagree, {@code ?} not probed, {@code .} not a pair (a pod to itself).
     */
    public static String matrix(List<VerifyRow> rows) {
        java.util.Map<String, java.util.Map<String, VerifyRow>> byFrom = new java.util.LinkedHashMap<>();
        java.util.Set<String> columns = new java.util.TreeSet<>();
        for (VerifyRow r : rows) {
            String to = r.pair().destination();
            byFrom.computeIfAbsent(r.pair().from(), k -> new java.util.HashMap<>()).put(to, r);
            columns.add(to);
        }
        List<String> cols = List.copyOf(columns);
        int nameWidth = byFrom.keySet().stream().mapToInt(String::length).max().orElse(0);
        int cell = String.valueOf(cols.size()).length() + 1;
        StringBuilder out = new StringBuilder("reachability (rows: from; columns: to; + allowed, - denied, "
                + "! model and probe disagree, ? not probed)\n");
        out.append(" ".repeat(nameWidth + 1));
        for (int c = 0; c < cols.size(); c++) {
            out.append(String.format("%" + cell + "d", c + 1));
        }
        out.append('\n');
        for (var from : byFrom.entrySet()) {
            out.append(from.getKey()).append(" ".repeat(nameWidth + 1 - from.getKey().length()));
            for (String col : cols) {
                VerifyRow r = from.getValue().get(col);
                out.append(" ".repeat(cell - 1)).append(r == null ? '.' : mark(r));
            }
            out.append('\n');
        }
        for (int c = 0; c < cols.size(); c++) {
            out.append(String.format("%" + cell + "d", c + 1)).append(' ').append(cols.get(c)).append('\n');
        }
        return out.toString();
    }

    private static char mark(VerifyRow r) {
        return switch (r.agreement()) {
            case DISAGREE -> '!';
            case NOT_PROBED -> '?';
            case AGREE -> r.modelAllowed() ? '+' : '-';
        };
    }

    /**
     * "12 pairs: 11 agree, 1 disagree, 0 not probed", then one line per disagreement with the probe's detail,
     * and one line naming the pairs that agreed only in a later round.
     */
    public static String summary(List<VerifyRow> rows) {
        long agree = rows.stream().filter(r -> r.agreement() == VerifyRow.Agreement.AGREE).count();
        List<VerifyRow> disagree = rows.stream().filter(r -> r.agreement() == VerifyRow.Agreement.DISAGREE).toList();
        List<VerifyRow> skipped = rows.stream().filter(r -> r.agreement() == VerifyRow.Agreement.NOT_PROBED).toList();
        StringBuilder out = new StringBuilder().append(rows.size()).append(" pairs: ").append(agree).append(" agree, ")
                .append(disagree.size()).append(" disagree, ").append(skipped.size()).append(" not probed\n");
        for (VerifyRow r : disagree) {
            out.append("MISMATCH ").append(r.pair().flow()).append(": model ")
                    .append(r.modelAllowed() ? "allows" : "denies").append(", probe ").append(r.probe().word())
                    .append(r.probe().detail().isEmpty() ? "" : " (" + r.probe().detail() + ")").append('\n');
        }
        if (!skipped.isEmpty()) {
            out.append("not probed: ").append(skipped.getFirst().probe().detail()).append('\n');
        }
        List<VerifyRow> late = rows.stream().filter(VerifyRow::settledLate).toList();
        if (!late.isEmpty()) {
            long millis = late.stream().mapToLong(r -> r.settledAfter().toMillis()).max().orElse(0);
            out.append(late.size()).append(late.size() == 1 ? " pair" : " pairs")
                    .append(" agreed only when probed again, within ").append(String.format(java.util.Locale.ROOT,
                            "%.1f", millis / 1000.0)).append(" s (the nodes were still applying the cluster's state): ")
                    .append(late.stream().map(r -> r.pair().flow()).collect(java.util.stream.Collectors.joining("; ")))
                    .append('\n');
        }
        return out.toString();
    }
}
