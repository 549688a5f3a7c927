package dev.deepcuts.bench.pool;

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
 * JMH's output condensed to one line per finished fork, in the table's terms: "[ 3/44]
 * borrow/return, stub driver, 1 thread, HikariCP: 95.1 ns/cycle ± 2.0 (9.8 s; ~6 min left)". Free
 * text (a fork's warnings, a failure) passes through.
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
            var t = PoolBench.Timing.of(result.getParams(), result.getPrimaryResult());
            what = String.format(Locale.ROOT, "%s, %s: %.1f ns/cycle%s", t.describeCase(), t.contender().label, t.nanos(),
                    Double.isNaN(t.error()) ? "" : String.format(Locale.ROOT, " ± %.1f", t.error()));
        }
        double elapsed = (now - start) / 1e9;
        double left = done < total ? elapsed / done * (total - done) : 0;
        out.printf(Locale.ROOT, "  [%" + Integer.toString(total).length() + "d/%d] %s (%.1f s%s)%n", done, total, what,
                (now - benchmarkStart) / 1e9, left > 0 ? String.format(Locale.ROOT, "; ~%s left", duration(left)) : "");
        out.flush();
    }

    private static String duration(double seconds) {
        return seconds >= 90 ? Math.round(seconds / 60) + " min" : Math.round(seconds) + " s";
    }

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

    /** JMH's own progress lines and blank lines, which the one line per fork replaces. */
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
