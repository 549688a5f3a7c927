package dev.deepcuts.bench.crdt;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;

import dev.deepcuts.bench.JmhProgress;

/** The crdt bench's progress line: "[2/8] replay, ours, automerge-paper: median 20.36 ms of 20 (14.1 s)". */
final class CrdtProgress extends JmhProgress {

    CrdtProgress(PrintStream out, int total) {
        super(out, total);
    }

    @Override
    protected String describe(BenchmarkResult result) {
        List<Double> scores = new ArrayList<>();
        for (IterationResult i : result.getIterationResults()) {
            scores.add(i.getPrimaryResult().getScore());
        }
        var p = result.getParams();
        var t = CrdtBench.Timing.of(p.getBenchmark(), p.getParam("trace"), result.getPrimaryResult().getScoreUnit(), scores);
        return String.format(Locale.ROOT, "%s, %s, %s: median %.2f ms of %d", t.kind().name().toLowerCase(Locale.ROOT),
                t.contender(), t.trace(), t.medianMs(), t.samplesMs().size());
    }
}
