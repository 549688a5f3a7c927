package dev.deepcuts.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A titled table of text cells, rendered with aligned columns: numbers right-aligned, text left.
 *
 * <p>Rows are added with {@link #row(Object...)}; numbers are formatted by {@link #cell(Object)} so
 * every lab prints them the same way. Pass a {@code String} to choose the format yourself.
 */
public final class Table {

    private final String title;
    private final List<String> columns;
    private final List<List<String>> rows = new ArrayList<>();

    private Table(String title, List<String> columns) {
        this.title = Objects.requireNonNull(title, "title");
        this.columns = List.copyOf(columns);
        if (columns.isEmpty()) throw new IllegalArgumentException("a table needs at least one column");
    }

    /** A new empty table with the given column headers. */
    public static Table of(String title, String... columns) {
        return new Table(title, List.of(columns));
    }

    /** Rebuilds a table from its parts (used when reading a result back). */
    public static Table of(String title, List<String> columns, List<List<String>> rows) {
        var t = new Table(title, columns);
        for (var r : rows) t.row(r.toArray());
        return t;
    }

    /** Appends a row; it must have one cell per column. */
    public Table row(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("table '" + title + "' has " + columns.size() + " columns "
                    + columns + " but a row has " + cells.length + " cells");
        }
        var r = new ArrayList<String>(cells.length);
        for (Object c : cells) r.add(cell(c));
        rows.add(List.copyOf(r));
        return this;
    }

    public String title() {
        return title;
    }

    public List<String> columns() {
        return columns;
    }

    public List<List<String>> rows() {
        return List.copyOf(rows);
    }

    /**
     * The standard text of a cell: integers (and whole floating-point numbers) as they are, other
     * floating-point numbers with four significant digits (fixed notation between 0.001 and 10^7, scientific outside), text as given.
     */
    public static String cell(Object value) {
        if (value == null) return "-";
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d)) return "NaN";
            if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
            if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
            double a = Math.abs(d);
            if (a >= 1e7 || a < 1e-3) return String.format(Locale.ROOT, "%.3e", d);
            int digitsBefore = (int) Math.floor(Math.log10(a)) + 1;
            int decimals = Math.max(0, 4 - digitsBefore);
            return String.format(Locale.ROOT, "%." + decimals + "f", d);
        }
        return value.toString();
    }

    /** The table as aligned text, title first, ready to print. */
    public String render() {
        int n = columns.size();
        int[] width = new int[n];
        boolean[] numeric = new boolean[n];
        for (int i = 0; i < n; i++) {
            width[i] = columns.get(i).length();
            numeric[i] = !rows.isEmpty();
        }
        for (var r : rows) {
            for (int i = 0; i < n; i++) {
                width[i] = Math.max(width[i], r.get(i).length());
                if (!looksNumeric(r.get(i))) numeric[i] = false;
            }
        }
        var sb = new StringBuilder();
        sb.append(title).append('\n');
        appendRow(sb, columns, width, numeric);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "  " : "  ").append("-".repeat(width[i]));
        }
        sb.append('\n');
        for (var r : rows) appendRow(sb, r, width, numeric);
        return sb.toString();
    }

    @Override
    public String toString() {
        return render();
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int[] width, boolean[] numeric) {
        var line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            String pad = " ".repeat(width[i] - c.length());
            line.append("  ").append(numeric[i] ? pad + c : c + pad);
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    private static boolean looksNumeric(String s) {
        return s.matches("[-+]?(\\d[\\d_,]*)?(\\.\\d+)?([eE][-+]?\\d+)?%?|-|NaN|inf|-inf|x?\\d+(\\.\\d+)?x?");
    }
}
