package dev.deepcuts.bench.bloom;

import java.io.PrintStream;
import java.util.Locale;

import org.openjdk.jmh.results.BenchmarkResult;

import dev.deepcuts.bench.JmhProgress;

/** The bloom bench's progress line: "[ 7/45] negative lookup, Guava, 10M keys: 131.2 ns/op ± 3.1 (14.2 s; ~6 min left)". */
final class ProgressFormat extends JmhProgress {

    ProgressFormat(PrintStream out, int total) {
        super(out, total);
    }

    @Override
    protected String describe(BenchmarkResult result) {
        var p = result.getParams();
        var primary = result.getPrimaryResult();
        var t = BloomBench.Timing.of(p.getBenchmark(), p.getParam("keys"), p.getParam("lookup"),
                primary.getScore(), primary.getScoreError(), primary.getScoreUnit());
        return String.format(Locale.ROOT, "%s: %s %s%s", t.describe(), figure(t.value()), t.benchCase().unit,
                Double.isNaN(t.error()) ? "" : " ± " + figure(t.error()));
    }

    private static String figure(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
