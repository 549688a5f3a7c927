package dev.deepcuts.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A chart a lab asks the harness to draw: kind, title, axis labels with units, optional log axes
 * and named series. The harness renders it to {@code figures/<name>.png} (see {@link ChartRenderer});
 * a lab never writes image files itself, so a quick run can never overwrite a book figure.
 *
 * <p>Line and scatter charts take numeric x values; bar charts take category labels
 * ({@link #categories(List)}) and one y value per category per series.
 */
public final class Chart {

    /** How the series are drawn. */
    public enum Kind { LINE, SCATTER, BAR }

    /** How one series of a line chart is drawn. */
    public enum Style { SOLID, DASHED, MARKERS_ONLY }

    /** Where the legend goes; {@code AUTO} puts up to three series below the plot, more to its right. */
    public enum Legend { AUTO, BELOW, RIGHT, INSIDE_TOP_RIGHT, INSIDE_TOP_LEFT, INSIDE_BOTTOM_LEFT, INSIDE_BOTTOM_RIGHT }

    /**
     * One named series.
     *
     * @param name  legend text
     * @param x     x values (ignored for bar charts)
     * @param y     y values, one per x (or per category)
     * @param style line style; scatter charts always draw markers only
     * @param color index into the palette, or -1 for the next colour in turn (give a measured
     *              series and its formula the same index so the reader pairs them)
     */
    public record Series(String name, double[] x, double[] y, Style style, int color) {
        public Series {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(y, "y");
            x = x == null ? null : x.clone();
            y = y.clone();
            if (x != null && x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values but " + y.length + " y values");
            }
        }
    }

    private final String name;
    private final Kind kind;
    private final String title;
    private String xLabel = "";
    private String yLabel = "";
    private boolean logX;
    private boolean logY;
    private List<String> categories = List.of();
    private Legend legend = Legend.AUTO;
    private final List<Series> series = new ArrayList<>();

    private Chart(String name, Kind kind, String title) {
        if (!Objects.requireNonNull(name, "name").matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("chart name '" + name + "' must be lower-case letters, digits and dashes (it becomes a file name)");
        }
        this.name = name;
        this.kind = kind;
        this.title = Objects.requireNonNull(title, "title");
    }

    /** A line chart, drawn to {@code figures/<name>.png}. */
    public static Chart line(String name, String title) {
        return new Chart(name, Kind.LINE, title);
    }

    /** A scatter chart. */
    public static Chart scatter(String name, String title) {
        return new Chart(name, Kind.SCATTER, title);
    }

    /** A bar chart over named categories. */
    public static Chart bar(String name, String title) {
        return new Chart(name, Kind.BAR, title);
    }

    /** The x-axis label, with its unit: "bits per key", "writers (threads)". */
    public Chart xLabel(String label) {
        this.xLabel = Objects.requireNonNull(label);
        return this;
    }

    /** The y-axis label, with its unit: "false-positive rate (ratio)", "latency (µs)". */
    public Chart yLabel(String label) {
        this.yLabel = Objects.requireNonNull(label);
        return this;
    }

    public Chart logX() {
        this.logX = true;
        return this;
    }

    public Chart logY() {
        if (kind == Kind.BAR) {
            throw new IllegalStateException("bar chart '" + name + "': bars start at zero, which a log axis cannot show; use a line or scatter chart");
        }
        this.logY = true;
        return this;
    }

    /** The category labels of a bar chart. */
    public Chart categories(List<String> labels) {
        if (kind != Kind.BAR) throw new IllegalStateException("categories belong to bar charts; '" + name + "' is a " + kind);
        this.categories = List.copyOf(labels);
        return this;
    }

    /** Adds a solid series (or bars). */
    public Chart series(String seriesName, double[] x, double[] y) {
        return series(seriesName, x, y, Style.SOLID);
    }

    /** Adds a series with a style. */
    public Chart series(String seriesName, double[] x, double[] y, Style style) {
        return series(seriesName, x, y, style, -1);
    }

    /** Adds a series with a style and a fixed palette colour (0-7). */
    public Chart series(String seriesName, double[] x, double[] y, Style style, int color) {
        if (kind == Kind.BAR && y.length != categories.size()) {
            throw new IllegalArgumentException("bar series '" + seriesName + "' has " + y.length + " values for " + categories.size() + " categories");
        }
        if (color < -1 || color > 7) throw new IllegalArgumentException("colour index " + color + " must be in [0, 7] (or -1 for automatic)");
        series.add(new Series(seriesName, x, y, style, color));
        return this;
    }

    /** Places the legend. */
    public Chart legend(Legend where) {
        this.legend = java.util.Objects.requireNonNull(where);
        return this;
    }

    public Legend legend() {
        return legend;
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    public String title() {
        return title;
    }

    public String xLabel() {
        return xLabel;
    }

    public String yLabel() {
        return yLabel;
    }

    public boolean isLogX() {
        return logX;
    }

    public boolean isLogY() {
        return logY;
    }

    public List<String> categories() {
        return categories;
    }

    public List<Series> series() {
        return List.copyOf(series);
    }
}
