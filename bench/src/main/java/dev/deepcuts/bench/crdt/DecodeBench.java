package dev.deepcuts.bench.crdt;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.deepcuts.crdt.text.TextDocument;

/**
 * The time to load a replayed trace back from its encoding with full history: decode our
 * {@link TextDocument} from {@link TextDocument#encode()}'s bytes and read its text, the same work
 * the npm peers are timed on ({@code Y.applyUpdate} into a new doc then {@code toString()};
 * {@code Automerge.load} then the text field). Single-shot, like {@link ReplayBench}.
 *
 * <p>Run with {@code ./deepcuts bench crdt} (see {@link CrdtBench}), or alone:
 * <pre>{@code java -Ddeepcuts.traces=data/editing-traces -cp "cli/target/deepcuts-cli.jar:cli/target/lib/*" \
 *     org.openjdk.jmh.Main 'dev.deepcuts.bench.crdt.DecodeBench' -p trace=automerge-paper}</pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 20)
@Fork(1)
public class DecodeBench {

    /** The encoding of the replayed trace, made once per fork. */
    @State(Scope.Benchmark)
    public static class Encoded {
        byte[] bytes;

        @Setup(Level.Trial)
        public void encode(TraceState t) {
            var doc = new TextDocument(1);
            t.edits.replay(doc);
            bytes = doc.encode();
        }
    }

    @Benchmark
    public String textDocument(Encoded e) {
        return TextDocument.decode(e.bytes, 2).text();
    }
}
