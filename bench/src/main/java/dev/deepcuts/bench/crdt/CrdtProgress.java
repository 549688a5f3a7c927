package dev.deepcuts.bench.crdt;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * JMH's output condensed to one line per finished benchmark: "[2/6] replay, StringBuilder,
 * automerge-paper: median 512.3 ms of 20 (14.2 s)". Anything else JMH prints (a forked VM's
 * warnings, a failure's stack trace) is passed through.
 */
final class CrdtProgress implements OutputFormat {

    private final PrintStream out;
    private final int total;
    private int done;
    private long benchmarkStart;

    CrdtProgress(PrintStream out, int total) {
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
        String what;
        if (result == null || result.getPrimaryResult() == null) {
            what = "no result";
        } else {
            List<Double> scores = new ArrayList<>();
            for (IterationResult i : result.getIterationResults()) {
                scores.add(i.getPrimaryResult().getScore());
            }
            var p = result.getParams();
            var t = CrdtBench.Timing.of(p.getBenchmark(), p.getParam("trace"), result.getPrimaryResult().getScoreUnit(), scores);
            what = String.format(Locale.ROOT, "%s, %s, %s: median %.2f ms of %d", t.kind().name().toLowerCase(Locale.ROOT),
                    t.contender(), t.trace(), t.medianMs(), t.samplesMs().size());
        }
        out.printf(Locale.ROOT, "  [%d/%d] %s (%.1f s)%n", done, total, what, (System.nanoTime() - benchmarkStart) / 1e9);
        out.flush();
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
