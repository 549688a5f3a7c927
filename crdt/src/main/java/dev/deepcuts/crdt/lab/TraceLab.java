package dev.deepcuts.crdt.lab;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.deepcuts.core.Chart;
import dev.deepcuts.core.Lab;
import dev.deepcuts.core.LabContext;
import dev.deepcuts.core.LabResult;
import dev.deepcuts.core.Param;
import dev.deepcuts.core.Repo;
import dev.deepcuts.core.Table;
import dev.deepcuts.core.UsageException;
import dev.deepcuts.crdt.text.EditTrace;
import dev.deepcuts.crdt.text.TextDocument;
import dev.deepcuts.crdt.text.TraceFormatException;

/**
 * A real editing session replayed into the text CRDT, one keystroke at a time: does it end with the
 * author's text, how long does it take, how much memory does the replica keep, and how big is the
 * document with its whole history once encoded? Also draws how run-length encoding keeps the tree
 * small as the trace goes on.
 */
public final class TraceLab implements Lab {

    static final String DEFAULT_TRACE = "data/editing-traces/automerge-paper.json.gz";

    @Override
    public String chapter() {
        return "crdt";
    }

    @Override
    public String id() {
        return "trace";
    }

    @Override
    public String title() {
        return "replay a real editing trace: final text, time, retained heap, encoded size with full history";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.ofString("trace", DEFAULT_TRACE, DEFAULT_TRACE,
                        "an editing trace in the josephg/editing-traces format, .json or .json.gz (relative paths from the repository root)"),
                Param.ofInt("runs", 15, 3, "timed replays (the first ones warm the JIT; the median is reported)"),
                Param.ofInt("samples", 200, 50, "points along the trace for the figure"));
    }

    @Override
    public LabResult run(LabContext ctx) {
        int runs = ctx.intParam("runs");
        int samples = ctx.intParam("samples");
        if (runs < 1 || samples < 2) {
            throw new UsageException("runs must be at least 1 and samples at least 2, got runs=" + runs + ", samples=" + samples);
        }
        Path file = resolve(ctx.stringParam("trace"));
        EditTrace trace;
        long loadStart = System.nanoTime();
        try {
            trace = EditTrace.load(file);
        } catch (TraceFormatException e) {
            throw new UsageException(e.getMessage());
        } catch (NoSuchFileException e) {
            throw new UsageException("trace file not found: " + file);
        } catch (IOException e) {
            throw new UsageException("cannot read trace " + file + ": " + e.getMessage());
        }
        double loadMs = (System.nanoTime() - loadStart) / 1e6;
        ctx.log("loaded %s in %.0f ms", trace, loadMs);

        // region trace-replay
        double[] replayMs = new double[runs];
        TextDocument doc = null;
        try (var progress = ctx.progress("replaying", runs)) {
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                doc = new TextDocument(0);
                trace.replay(doc);                       // every patch as a local edit
                replayMs[r] = (System.nanoTime() - t0) / 1e6;
                progress.step();
            }
        }
        boolean same = doc.text().equals(trace.endContent());
        // endregion trace-replay

        byte[] encoded = doc.encode();
        double[] decodeMs = new double[runs];
        TextDocument decoded = null;
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            decoded = TextDocument.decode(encoded, 1);
            decodeMs[r] = (System.nanoTime() - t0) / 1e6;
        }
        boolean decodedSame = decoded.text().equals(trace.endContent()) && decoded.version().equals(doc.version());

        long retained = retainedBytes(trace);

        var growth = growth(trace, samples);
        double replayMedian = median(replayMs);
        double decodeMedian = median(decodeMs);
        int chars = doc.totalLength();

        var table = Table.of(trace.name() + ": " + trace.transactions() + " transactions, " + trace.patches() + " patches",
                "measure", "value");
        table.row("characters inserted / deleted", trace.insertedChars() + " / " + trace.deletedChars());
        table.row("final text (characters)", doc.length());
        table.row("replay, median of " + runs + " (ms)", String.format(Locale.ROOT, "%.1f", replayMedian));
        table.row("replay per patch (ns)", String.format(Locale.ROOT, "%.0f", replayMedian * 1e6 / trace.patches()));
        table.row("runs in the tree", doc.runs());
        table.row("characters per run", String.format(Locale.ROOT, "%.1f", (double) chars / doc.runs()));
        table.row("operation log entries", doc.logEntries());
        table.row("retained heap after replay (bytes, heap delta after GC)", retained);
        table.row("encoded with full history (bytes)", encoded.length);
        table.row("encoded bytes per patch", String.format(Locale.ROOT, "%.2f", (double) encoded.length / trace.patches()));
        table.row("decode, median of " + runs + " (ms)", String.format(Locale.ROOT, "%.1f", decodeMedian));
        var b = LabResult.builder();
        b.table(table);
        b.metric("patches", trace.patches(), "patches");
        b.metric("replay_ms", replayMedian, "ms");
        b.metric("replay_ns_per_patch", replayMedian * 1e6 / trace.patches(), "ns");
        b.metric("final_chars", doc.length(), "chars");
        b.metric("inserted_chars", chars, "chars");
        b.metric("runs", doc.runs(), "runs");
        b.metric("chars_per_run", (double) chars / doc.runs(), "chars");
        b.metric("log_entries", doc.logEntries(), "entries");
        b.metric("retained_bytes", retained, "bytes");
        b.metric("encoded_bytes", encoded.length, "bytes");
        b.metric("decode_ms", decodeMedian, "ms");

        var chart = Chart.line("crdt-trace", trace.name() + ": characters and runs")
                .xLabel("patches replayed").yLabel("count").legend(Chart.Legend.INSIDE_TOP_LEFT);
        chart.series("characters ever inserted (tombstones included)", growth.get(0), growth.get(1));
        chart.series("visible characters", growth.get(0), growth.get(2));
        chart.series("runs in the tree", growth.get(0), growth.get(3));
        chart.series("operation log entries", growth.get(0), growth.get(4));
        b.chart(chart);

        b.claim("replaying every patch as a local edit gives exactly the trace's endContent (" + trace.endContent().length() + " characters)", same);
        b.claim("decoding the encoded document gives the same text and version", decodedSame);
        b.claim(String.format(Locale.ROOT, "run-length encoding keeps at least 5 characters per run in the tree (%.1f)",
                (double) chars / doc.runs()), chars >= 5L * doc.runs());
        return b.verdict(String.format(Locale.ROOT, "%s: %s, replay %.1f ms (%.0f ns/patch), %d runs, ~%.2f MB retained, %d bytes encoded, decode %.1f ms",
                trace.name(), same ? "text matches" : "TEXT DIFFERS", replayMedian, replayMedian * 1e6 / trace.patches(), doc.runs(),
                retained / 1e6, encoded.length, decodeMedian)).build();
    }

    static Path resolve(String name) {
        Path p = Path.of(name);
        if (!p.isAbsolute() && !Files.exists(p)) {
            p = Repo.root().resolve(name).normalize();
        }
        return p;
    }

    /** Heap in use after a full GC with a replayed document held, minus without: an estimate, not a census. */
    private static long retainedBytes(EditTrace trace) {
        var memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        TextDocument keep = new TextDocument(0);
        trace.replay(keep);
        long after = usedAfterGc(memory);
        if (keep.length() < 0) {
            throw new AssertionError(); // keeps the document reachable until after the measurement
        }
        return Math.max(0, after - before);
    }

    private static long usedAfterGc(java.lang.management.MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** x = patches replayed; then characters ever inserted, visible characters, runs, log entries. */
    private static List<double[]> growth(EditTrace trace, int samples) {
        int n = trace.patches();
        List<double[]> out = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            out.add(new double[samples]);
        }
        TextDocument doc = new TextDocument(0);
        int done = 0;
        for (int s = 0; s < samples; s++) {
            int upTo = (int) ((long) n * (s + 1) / samples);
            for (; done < upTo; done++) {
                if (trace.deleted(done) > 0) {
                    doc.delete(trace.position(done), trace.deleted(done));
                }
                if (!trace.inserted(done).isEmpty()) {
                    doc.insert(trace.position(done), trace.inserted(done));
                }
            }
            out.get(0)[s] = done;
            out.get(1)[s] = doc.totalLength();
            out.get(2)[s] = doc.length();
            out.get(3)[s] = doc.runs();
            out.get(4)[s] = doc.logEntries();
        }
        return out;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
