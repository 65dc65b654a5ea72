package dev.knet.cli.print;

import java.util.ArrayList;
import java.util.List;

/** A plain text table with kubectl's layout: upper-case headers, columns padded by three spaces. */
public final class Table {

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(List<String> headers) {
        this.headers = List.copyOf(headers);
    }

    public Table row(List<String> cells) {
        rows.add(cells.stream().map(c -> c == null || c.isEmpty() ? "<none>" : c).toList());
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public String render() {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < headers.size(); i++) {
            widths[i] = headers.get(i).length();
        }
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths);
        for (List<String> r : rows) {
            line(out, r, widths);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            l.append(cells.get(i));
            if (i < cells.size() - 1) {
                l.append(" ".repeat(widths[i] - cells.get(i).length() + 3));
            }
        }
        out.append(l.toString().stripTrailing()).append('\n');
    }
}
