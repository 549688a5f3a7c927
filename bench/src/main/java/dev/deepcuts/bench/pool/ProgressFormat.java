package dev.deepcuts.bench.pool;

import java.io.PrintStream;
import java.util.Locale;

import org.openjdk.jmh.results.BenchmarkResult;

import dev.deepcuts.bench.JmhProgress;

/** The pool bench's progress line: "[ 3/44] borrow/return, stub driver, 1 thread, HikariCP: 95.1 ns/cycle ± 2.0 (9.8 s; ~6 min left)". */
final class ProgressFormat extends JmhProgress {

    ProgressFormat(PrintStream out, int total) {
        super(out, total);
    }

    @Override
    protected String describe(BenchmarkResult result) {
        var t = PoolBench.Timing.of(result.getParams(), result.getPrimaryResult());
        return String.format(Locale.ROOT, "%s, %s: %.1f ns/cycle%s", t.describeCase(), t.contender().label, t.nanos(),
                Double.isNaN(t.error()) ? "" : String.format(Locale.ROOT, " ± %.1f", t.error()));
    }
}
