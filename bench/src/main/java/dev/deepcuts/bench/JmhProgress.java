package dev.deepcuts.bench;

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
 * JMH's output condensed to one line per finished benchmark, with a count and an estimate of the
 * time left: "[ 7/45] negative lookup, Guava, 10M keys: 131.2 ns/op ± 3.1 (14.2 s; ~6 min left)".
 * Each bench says, in {@link #describe}, what a result is in its table's terms. JMH's own progress
 * lines are dropped; anything else it prints (a forked VM's warnings, a failure) passes through.
 * One instance may serve several JMH runs of one bench, so the count runs across them.
 */
public abstract class JmhProgress implements OutputFormat {

    private final PrintStream out;
    private final int total;
    private final long start = System.nanoTime();
    private int done;
    private long benchmarkStart;

    protected JmhProgress(PrintStream out, int total) {
        this.out = out;
        this.total = total;
    }

    /** One finished benchmark in the bench's terms, e.g. "negative lookup, Guava, 10M keys: 131.2 ns/op ± 3.1". */
    protected abstract String describe(BenchmarkResult result);

    @Override
    public void startBenchmark(BenchmarkParams params) {
        benchmarkStart = System.nanoTime();
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        done++;
        long now = System.nanoTime();
        String what = result == null || result.getPrimaryResult() == null ? "no result" : describe(result);
        double elapsed = (now - start) / 1e9;
        double left = done < total ? elapsed / done * (total - done) : 0;
        out.printf(Locale.ROOT, "  [%" + Integer.toString(total).length() + "d/%d] %s (%.1f s%s)%n", done, total, what,
                (now - benchmarkStart) / 1e9, left > 0 ? String.format(Locale.ROOT, "; ~%s left", duration(left)) : "");
        out.flush();
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
