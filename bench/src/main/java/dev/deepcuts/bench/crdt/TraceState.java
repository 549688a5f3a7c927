package dev.deepcuts.bench.crdt;

import java.io.IOException;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One trace's edits, loaded once per JMH fork from the folder {@link TraceFiles#directory()} names
 * (the bench passes it to the forks as {@code -Ddeepcuts.traces}).
 */
@State(Scope.Benchmark)
public class TraceState {

    /** The trace, by name: automerge-paper or seph-blog1. */
    @Param("automerge-paper")
    public String trace;

    /** Replay only the first this many patches; 0 for the whole trace. */
    @Param("0")
    public int prefix;

    Edits edits;

    @Setup(Level.Trial)
    public void load() throws IOException {
        edits = Edits.of(TraceFiles.load(TraceFiles.directory(), trace), prefix);
    }
}
