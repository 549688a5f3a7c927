package dev.deepcuts.bench.crdt;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.openjdk.jol.info.GraphLayout;

/**
 * The retained heap of an object: the sum of the shallow sizes of every object reachable from it,
 * each counted once, as laid out by this JVM (JOL's {@link GraphLayout}), which is what a GC keeps
 * alive for it when nothing else refers into its graph.
 *
 * <p>JOL looks for an {@code Instrumentation} on first use and, not finding one (we do not attach
 * an agent), prints a warning on {@code System.out} and sizes objects from the VM's layout
 * instead, which is what we want; that one warning is kept out of the bench's report.
 */
final class RetainedHeap {

    private static boolean initialised;

    private RetainedHeap() {
    }

    /** The retained size of {@code root}'s object graph, in bytes. */
    static synchronized long of(Object root) {
        if (!initialised) {
            PrintStream stdout = System.out;
            var captured = new ByteArrayOutputStream();
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                GraphLayout.parseInstance(new Object()).totalSize();
            } finally {
                System.setOut(stdout);
            }
            captured.toString(StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("# WARNING: Unable to get Instrumentation"))
                    .forEach(stdout::println);
            initialised = true;
        }
        return GraphLayout.parseInstance(root).totalSize();
    }
}
