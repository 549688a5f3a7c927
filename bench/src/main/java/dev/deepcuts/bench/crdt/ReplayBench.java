package dev.deepcuts.bench.crdt;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import dev.deepcuts.crdt.text.TextDocument;

/**
 * The time to replay a whole editing trace, one edit at a time, into a new document: our
 * {@link TextDocument} (every edit a local CRDT operation, its own transaction) beside a plain
 * {@link StringBuilder}. One invocation is one whole replay, so JMH runs it in single-shot mode:
 * every measured iteration is one replay from an empty document, after warmup replays that let the
 * JIT compile the loop; {@link CrdtBench} reports the median.
 *
 * <p>Run it with the other CRDT benchmarks, beside Yjs and Automerge, with the ratios:
 * <pre>{@code ./deepcuts bench crdt            # both traces, whole
 * ./deepcuts bench crdt --quick    # the first 10K edits of automerge-paper}</pre>
 * or alone with JMH's own runner, from the repository root after a build:
 * <pre>{@code java -Ddeepcuts.traces=data/editing-traces -cp "cli/target/deepcuts-cli.jar:cli/target/lib/*" \
 *     org.openjdk.jmh.Main 'dev.deepcuts.bench.crdt.ReplayBench' -p trace=automerge-paper,seph-blog1}</pre>
 *
 * <p>The replayed document is returned to JMH, so no edit can be dropped as dead code; that it
 * ends with the trace's text is checked by {@link CrdtBench} before timing.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 20)
@Fork(1)
public class ReplayBench {

    @Benchmark
    public TextDocument textDocument(TraceState t) {
        var doc = new TextDocument(1);
        t.edits.replay(doc);
        return doc;
    }

    @Benchmark
    public StringBuilder stringBuilder(TraceState t) {
        var editor = new Edits.StringBuilderEditor();
        t.edits.replay(editor);
        return editor.builder();
    }
}
