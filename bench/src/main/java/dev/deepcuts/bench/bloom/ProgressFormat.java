package dev.deepcuts.bench.bloom;

import java.io.PrintStream;
import java.util.Collection;
import java.util.Locale;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * JMH's output condensed to one line per finished benchmark, in the table's terms and units, with
 * a count and an estimate of the time left: "[ 7/45] negative lookup, Guava, 10M keys: 131.2 ns/op
 * ± 3.1 (14.2 s; ~6 min left)". Shared by the plans of one bench run, so the count runs across them.
 * Anything else JMH prints (a forked VM's warnings, a failure's stack trace) is passed through.
 */
final class ProgressFormat implements OutputFormat {

    private final PrintStream out;
    private final int total;
    private final long start = System.nanoTime();
    private int done;
    private long benchmarkStart;

    ProgressFormat(PrintStream out, int total) {
        this.out = out;
        this.total = total;
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
        benchmarkStart = System.nanoTime();
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        done++;
        long now = System.nanoTime();
        String what;
        if (result == null || result.getPrimaryResult() == null) {
            what = "no result";
        } else {
            var p = result.getParams();
            var primary = result.getPrimaryResult();
            var t = BloomBench.Timing.of(p.getBenchmark(), p.getParam("keys"), p.getParam("lookup"),
                    primary.getScore(), primary.getScoreError(), primary.getScoreUnit());
            what = String.format(Locale.ROOT, "%s: %s %s%s", t.describe(), figure(t.value()), t.benchCase().unit,
                    Double.isNaN(t.error()) ? "" : " ± " + figure(t.error()));
        }
        double elapsed = (now - start) / 1e9;
        double left = done < total ? elapsed / done * (total - done) : 0;
        out.printf(Locale.ROOT, "  [%" + digits() + "d/%d] %s (%.1f s%s)%n", done, total, what,
                (now - benchmarkStart) / 1e9, left > 0 ? String.format(Locale.ROOT, "; ~%s left", duration(left)) : "");
        out.flush();
    }

    private int digits() {
        return Integer.toString(total).length();
    }

    private static String figure(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String duration(double seconds) {
        return seconds >= 90 ? Math.round(seconds / 60) + " min" : Math.round(seconds) + " s";
    }

    // ---------------------------------------------------------------------------------------------
    // the rest of JMH's output: iterations are summarised above; free text is passed through

    @Override
    public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
    }

    @Override
    public void iterationResult(BenchmarkParams benchParams, IterationParams params, int iteration, IterationResult data) {
    }

    @Override
    public void startRun() {
    }

    @Override
    public void endRun(Collection<RunResult> result) {
    }

    @Override
    public void print(String s) {
        if (!routine(s)) {
            out.print(s);
        }
    }

    @Override
    public void println(String s) {
        if (!routine(s)) {
            out.println(s);
        }
    }

    /** JMH's own progress and blank lines, which the one line per benchmark replaces. */
    private static boolean routine(String s) {
        return s.isBlank() || s.startsWith("# Run progress") || s.startsWith("# Fork:") || s.startsWith("# Run complete")
                || s.startsWith("# Warmup Fork");
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        out.flush(); // the stream belongs to the caller
    }

    @Override
    public void verbosePrintln(String s) {
    }

    @Override
    public void write(int b) {
        out.write(b);
    }

    @Override
    public void write(byte[] b) {
        out.write(b, 0, b.length);
    }
}
