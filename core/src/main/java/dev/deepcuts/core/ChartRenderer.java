package dev.deepcuts.core;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a {@link dev.deepcuts.core.Chart} to a PNG with XChart, styled for a book page: 1000×620
 * pixels (legible when scaled to a 700-pixel text column), large fonts, a colour-blind-safe
 * palette (Okabe–Ito), and log axes where the chart asks for them.
 */
public final class ChartRenderer {

    static final int WIDTH = 1000;
    static final int HEIGHT = 620;

    /** Okabe & Ito's palette, distinguishable under the common colour-vision deficiencies. */
    private static final Color[] PALETTE = {
            new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
            new Color(0x000000), new Color(0xE69F00), new Color(0x56B4E9), new Color(0xF0E442)};

    private ChartRenderer() {
    }

    /** Renders the chart into {@code file} (a .png), creating its folder. */
    public static void render(dev.deepcuts.core.Chart spec, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Chart<?, ?> chart = switch (spec.kind()) {
            case LINE, SCATTER -> xy(spec);
            case BAR -> bar(spec);
        };
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private static XYChart xy(dev.deepcuts.core.Chart spec) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(spec.title())
                .xAxisTitle(spec.xLabel()).yAxisTitle(spec.yLabel()).build();
        style(chart.getStyler(), spec);
        chart.getStyler().setXAxisLogarithmic(spec.isLogX());
        chart.getStyler().setYAxisLogarithmic(spec.isLogY());
        chart.getStyler().setDefaultSeriesRenderStyle(spec.kind() == dev.deepcuts.core.Chart.Kind.SCATTER
                ? XYSeries.XYSeriesRenderStyle.Scatter : XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setMarkerSize(9);
        int i = 0;
        for (var s : spec.series()) {
            if (s.x() == null) throw new IllegalArgumentException("series '" + s.name() + "' of chart '" + spec.name() + "' has no x values");
            double[] x = s.x();
            double[] y = s.y();
            if (spec.isLogX() || spec.isLogY()) { // log axes cannot show zero or negative values: drop those points
                List<double[]> kept = new ArrayList<>();
                for (int j = 0; j < x.length; j++) {
                    if ((!spec.isLogX() || x[j] > 0) && (!spec.isLogY() || y[j] > 0)) kept.add(new double[] {x[j], y[j]});
                }
                x = kept.stream().mapToDouble(p -> p[0]).toArray();
                y = kept.stream().mapToDouble(p -> p[1]).toArray();
                if (x.length == 0) continue;
            }
            XYSeries series = chart.addSeries(s.name(), x, y);
            Color color = s.color() >= 0 ? PALETTE[s.color()] : PALETTE[i % PALETTE.length];
            i++;
            series.setLineColor(color);
            series.setMarkerColor(color);
            switch (s.style()) {
                case SOLID -> series.setLineStyle(new BasicStroke(2.5f));
                case DASHED -> {
                    series.setLineStyle(new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {10f, 6f}, 0f));
                    series.setMarker(SeriesMarkers.NONE);
                }
                case MARKERS_ONLY -> series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            }
        }
        return chart;
    }

    private static CategoryChart bar(dev.deepcuts.core.Chart spec) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(spec.title())
                .xAxisTitle(spec.xLabel()).yAxisTitle(spec.yLabel()).build();
        style(chart.getStyler(), spec);
        chart.getStyler().setYAxisLogarithmic(spec.isLogY());
        chart.getStyler().setOverlapped(false);
        int i = 0;
        for (var s : spec.series()) {
            List<Double> ys = new ArrayList<>();
            for (double v : s.y()) ys.add(v);
            var series = chart.addSeries(s.name(), spec.categories(), ys);
            series.setFillColor(s.color() >= 0 ? PALETTE[s.color()] : PALETTE[i % PALETTE.length]);
            i++;
        }
        return chart;
    }

    private static void style(Styler styler, dev.deepcuts.core.Chart spec) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(true);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 24));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 18));
        var where = spec.legend();
        if (where == dev.deepcuts.core.Chart.Legend.AUTO) {
            where = spec.series().size() <= 3 ? dev.deepcuts.core.Chart.Legend.BELOW : dev.deepcuts.core.Chart.Legend.RIGHT;
        }
        styler.setLegendPosition(switch (where) {
            case BELOW, AUTO -> Styler.LegendPosition.OutsideS;
            case RIGHT -> Styler.LegendPosition.OutsideE;
            case INSIDE_TOP_RIGHT -> Styler.LegendPosition.InsideNE;
            case INSIDE_TOP_LEFT -> Styler.LegendPosition.InsideNW;
            case INSIDE_BOTTOM_LEFT -> Styler.LegendPosition.InsideSW;
            case INSIDE_BOTTOM_RIGHT -> Styler.LegendPosition.InsideSE;
        });
        styler.setLegendLayout(where == dev.deepcuts.core.Chart.Legend.BELOW ? Styler.LegendLayout.Horizontal : Styler.LegendLayout.Vertical);
        if (where == dev.deepcuts.core.Chart.Legend.RIGHT) styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        styler.setSeriesColors(PALETTE);
        styler.setAntiAlias(true);
        if (styler instanceof org.knowm.xchart.style.AxesChartStyler axes) {
            axes.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 20));
            axes.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
            axes.setPlotGridLinesColor(new Color(0xDDDDDD));
        }
    }
}
