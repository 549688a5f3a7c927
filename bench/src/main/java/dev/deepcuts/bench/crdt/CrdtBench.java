package dev.deepcuts.bench.crdt;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import dev.deepcuts.core.Bench;
import dev.deepcuts.core.BenchContext;
import dev.deepcuts.core.BenchResult;
import dev.deepcuts.core.BenchResult.Better;
import dev.deepcuts.core.BenchResult.Row;
import dev.deepcuts.core.Repo;
import dev.deepcuts.core.UsageException;
import dev.deepcuts.crdt.text.EditTrace;
import dev.deepcuts.crdt.text.TextDocument;

/**
 * Chapter 1's sequence CRDT, {@link TextDocument}, replaying the standard editing traces
 * (automerge-paper and seph-blog1, one transaction per edit) beside Yjs and Automerge from npm and
 * a plain {@link StringBuilder}, all in the same run: replay time, retained heap after the replay,
 * the size of the encoding with full history, and the time to decode it.
 *
 * <p>Run it with {@code ./deepcuts bench crdt} (both traces, whole: about 8 minutes on 2 cores,
 * most of it Automerge; writes {@code book/results/bench-crdt.json}) or {@code ./deepcuts bench
 * crdt --quick} (the first 10K edits of automerge-paper, about half a minute, writes under
 * {@code target/deepcuts/}). Take the machine's benchmark lock first when it is shared:
 * {@code flock /tmp/jmh.lock ./deepcuts bench crdt}. The traces are read from
 * {@code data/editing-traces} in the repository, or from the folder named by
 * {@code DEEPCUTS_TRACES} (or {@code -Ddeepcuts.traces}, e.g. through {@code DEEPCUTS_JAVA_OPTS}).
 * Yjs and Automerge need Node.js 20+ ({@code npm ci} runs in {@code bench/js} when its
 * {@code node_modules} lacks the locked versions); without it they are reported as skipped and the
 * JVM contenders are still measured.
 */
public final class CrdtBench implements Bench {

    /*
     * How it runs.
     *
     * First, in this JVM and untimed, every trace is replayed into our TextDocument and into a
     * StringBuilder; both must end with the trace's text (else the bench fails). The replayed
     * document's retained heap is measured there with JOL (GraphLayout: the sum of the shallow sizes
     * of every object reachable from it, each counted once: what a GC would keep alive for it),
     * and so is the StringBuilder's; the document is encoded, and the encoding decoded and checked.
     *
     * Then, trace by trace, JMH times the JVM contenders, one fork each, in single-shot mode:
     * every measured iteration is one replay (or one decode) from scratch, after warmup
     * iterations, with a forced GC between iterations in a full run; we take the median of the
     * iterations. Right after, node replays the same edits into Yjs and Automerge
     * (bench/js/crdt-trace.mjs: its header says how each figure is taken) and reports the SHA-256
     * of the text they had to produce, which must equal ours: the same work.
     *
     * In quick mode every contender replays the first 10K edits of automerge-paper, where each
     * patch is one edit, so the prefix is the same on both sides.
     */

    /** The npm peers and the JVM baseline, in the order of the table. */
    static final String YJS = "Yjs";
    static final String AUTOMERGE = "Automerge";
    static final String STRING_BUILDER = "StringBuilder";

    /**
     * How long and how big.
     *
     * @param traces                the traces, by name
     * @param prefix                replay only the first this many patches of each; 0 for whole traces
     * @param warmupIterations      JMH warmup replays per fork
     * @param measurementIterations JMH measured replays per fork (the median is reported)
     * @param gcBetweenIterations   whether JMH forces a GC between iterations (fairer, slower)
     * @param jsWarmup              untimed node runs per peer and trace
     * @param jsRuns                timed node runs per peer and trace
     * @param heap                  the heap of every JMH fork
     */
    record Settings(List<String> traces, int prefix, int warmupIterations, int measurementIterations,
                    boolean gcBetweenIterations, int jsWarmup, int jsRuns, String heap) {

        /** How many JMH benchmarks (forks): two replays and one decode per trace. */
        int benchmarkCount() {
            return traces.size() * 3;
        }
    }

    static final Settings QUICK = new Settings(List.of("automerge-paper"), 10_000, 10, 10, false, 1, 3, "1g");

    static final Settings FULL = new Settings(List.of("automerge-paper", "seph-blog1"), 0, 10, 20, true, 1, 5, "1g");

    /** The targets, for automerge-paper, whole. */
    static final double TARGET_REPLAY_MS = 100;
    static final double TARGET_VS_YJS = 40;
    static final long TARGET_RETAINED_BYTES = 4_000_000;
    static final long TARGET_ENCODED_BYTES = 160_000;
    static final double TARGET_DECODE_MS = 50;

    @Override
    public String chapter() {
        return "crdt";
    }

    @Override
    public String title() {
        return "our TextDocument vs Yjs, Automerge (npm) and a StringBuilder replaying the editing traces (JMH + node)";
    }

    @Override
    public BenchResult run(BenchContext context) throws Exception {
        Settings settings = context.quick() ? QUICK : FULL;
        PrintStream out = context.out();
        Path dir = TraceFiles.directory();
        TraceFiles.files(dir, settings.traces()); // one clear line now if one is missing, not from a JMH fork later

        out.printf(Locale.ROOT, "traces from %s: %s%s%n", dir, String.join(", ", settings.traces()),
                settings.prefix() > 0 ? " (first " + count(settings.prefix()) + " edits)" : "");
        Map<String, JvmFigures> jvm = new LinkedHashMap<>();
        for (String name : settings.traces()) {
            jvm.put(name, measureUntimed(TraceFiles.load(dir, name), settings.prefix(), out));
        }

        Path root = Repo.root();
        var peers = new JsPeers(root.resolve("bench/js"), "node", "npm", root.resolve("target/deepcuts/logs/npm-ci-bench-js.log"));
        var progress = new CrdtProgress(out, settings.benchmarkCount());
        List<Timing> timings = new ArrayList<>();
        JsPeers.Measured firstJs = null;
        JsPeers.Skipped skipped = null;
        List<JsPeers.TraceFigures> jsTraces = new ArrayList<>();
        // trace by trace, the JVM contenders then the npm peers, so the figures set side by side
        // are taken minutes apart at most
        for (String name : settings.traces()) {
            out.printf(Locale.ROOT, "%s, JVM: JMH, 3 benchmarks, 1 fork each, single shot, warmup %d, measurement %d%n",
                    name, settings.warmupIterations(), settings.measurementIterations());
            for (RunResult r : runJmh(options(settings, dir, name), progress)) {
                timings.add(Timing.of(r));
            }
            if (skipped != null) {
                continue;
            }
            out.printf(Locale.ROOT, "%s, npm peers: node %s (%d warmup + %d timed runs each)%n", name,
                    root.relativize(root.resolve("bench/js/crdt-trace.mjs")), settings.jsWarmup(), settings.jsRuns());
            switch (peers.run(dir, List.of(name), settings.prefix(), settings.jsWarmup(), settings.jsRuns(), context.quick(), out)) {
                case JsPeers.Skipped s -> {
                    skipped = s;
                    out.println("  Yjs and Automerge SKIPPED: " + s.reason());
                }
                case JsPeers.Measured m -> {
                    if (firstJs == null) {
                        firstJs = m;
                        out.printf(Locale.ROOT, "  node %s, %s%n", m.node(), m.versions());
                        m.notes().forEach(n -> out.println("  note: " + n));
                    }
                    checkSameWork(m, Map.of(name, jvm.get(name)));
                    jsTraces.addAll(m.traces());
                }
            }
        }
        JsPeers.Outcome js = skipped != null ? skipped
                : new JsPeers.Measured(firstJs.node(), firstJs.versions(), firstJs.notes(), jsTraces);

        List<Row> rows = rows(settings.traces(), settings.prefix(), jvm, timings, js);
        printTargets(out, rows, settings);
        if (js instanceof JsPeers.Skipped s) {
            // said again at the end, so a table without Yjs and Automerge is never taken for the whole story
            out.println("Yjs and Automerge were SKIPPED, the table has only the JVM contenders: " + s.reason());
        }
        String command = "./deepcuts bench crdt" + (context.quick() ? " --quick" : "");
        return new BenchResult(chapter(), command, BenchResult.describeMachine(), rows);
    }

    // ---------------------------------------------------------------------------------------------
    // untimed: correctness, retained heap, encoded size

    /**
     * What is measured outside JMH, for one trace.
     *
     * @param patches        how many of the trace's patches were replayed
     * @param sha256         SHA-256 of the text they produce
     * @param retained       our document's retained heap, bytes (JOL)
     * @param sbRetained     the StringBuilder's, bytes (JOL)
     * @param encoded        our encoding's size, bytes
     */
    record JvmFigures(int patches, String sha256, long retained, long sbRetained, long encoded) {}

    static JvmFigures measureUntimed(EditTrace trace, int prefix, PrintStream out) {
        long start = System.nanoTime();
        Edits edits = Edits.of(trace, prefix);
        String expected = edits.expected();

        var doc = new TextDocument(1);
        edits.replay(doc);
        expectText(doc.text(), expected, "TextDocument replay", edits);
        long retained = RetainedHeap.of(doc);
        byte[] encoded = doc.encode();
        expectText(TextDocument.decode(encoded, 2).text(), expected, "TextDocument decode", edits);

        var sb = new Edits.StringBuilderEditor();
        edits.replay(sb);
        expectText(sb.text(), expected, "StringBuilder replay", edits);
        long sbRetained = RetainedHeap.of(sb.builder());

        out.printf(Locale.ROOT, "  %s: %s patches (%s edits), %s chars at the end; TextDocument retains %s, encodes to %s;"
                        + " StringBuilder retains %s (%.1f s)%n",
                edits.name(), count(edits.patches()), count(edits.size()), count(expected.length()), bytes(retained), bytes(encoded.length),
                bytes(sbRetained), (System.nanoTime() - start) / 1e9);
        return new JvmFigures(edits.patches(), edits.expectedSha256(), retained, sbRetained, encoded.length);
    }

    private static void expectText(String actual, String expected, String what, Edits edits) {
        if (!actual.equals(expected)) {
            int at = Arrays.mismatch(actual.toCharArray(), expected.toCharArray());
            throw new IllegalStateException(what + " of " + edits.name() + " (" + edits.size() + " edits) gives "
                    + actual.length() + " chars, expected " + expected.length() + "; first difference at " + at);
        }
    }

    /** The npm peers must have replayed the same edits to the same text. */
    static void checkSameWork(JsPeers.Measured js, Map<String, JvmFigures> jvm) {
        jvm.forEach((name, figures) -> {
            var t = js.trace(name);
            if (t == null) {
                throw new IllegalStateException("the npm peers did not report trace " + name);
            }
            if (t.patches() != figures.patches() || !t.endSha256().equals(figures.sha256())) {
                throw new IllegalStateException("the npm peers replayed " + t.patches() + " patches of " + name + " to text "
                        + t.endSha256() + ", ours " + figures.patches() + " patches to " + figures.sha256() + ": not the same work");
            }
        });
    }

    // ---------------------------------------------------------------------------------------------
    // JMH

    /** Every benchmark of this package on one trace, one fork each. */
    static Options options(Settings settings, Path tracesDir, String trace) {
        return new OptionsBuilder()
                .include("^" + Pattern.quote(CrdtBench.class.getPackageName() + ".") + "(ReplayBench|DecodeBench)\\.")
                .param("trace", trace)
                .param("prefix", Integer.toString(settings.prefix()))
                .forks(1)
                .warmupForks(0)
                .warmupIterations(settings.warmupIterations())
                .measurementIterations(settings.measurementIterations())
                .shouldDoGC(settings.gcBetweenIterations())
                // set explicitly, so the forks do not inherit the CLI's own JVM options; JMH 1.37
                // uses sun.misc.Unsafe, which JDK 24+ warns about on every fork's first use
                .jvmArgs("-Xms" + settings.heap(), "-Xmx" + settings.heap(), "--sun-misc-unsafe-memory-access=allow",
                        "-D" + TraceFiles.PROPERTY + "=" + tracesDir)
                .shouldFailOnError(true)
                .build();
    }

    private static Collection<RunResult> runJmh(Options options, CrdtProgress progress) throws RunnerException {
        try {
            return new Runner(options, progress).run();
        } catch (RunnerException e) {
            if (String.valueOf(e.getMessage()).contains("JMH lock")) {
                throw new UsageException("another JMH run is in progress on this machine (it holds "
                        + System.getProperty("java.io.tmpdir") + "/jmh.lock); wait for it to finish and run the bench again");
            }
            throw e;
        }
    }

    /** What a JMH benchmark measures. */
    enum Kind { REPLAY, DECODE }

    /**
     * One JMH result in the table's terms.
     *
     * @param kind      replay or decode
     * @param contender {@code TextDocument} (ours) or {@value #STRING_BUILDER}
     * @param trace     the trace's name
     * @param medianMs  the median of the measured iterations, ms
     * @param samplesMs every measured iteration, ms
     */
    record Timing(Kind kind, String contender, String trace, double medianMs, List<Double> samplesMs) {

        static Timing of(RunResult result) {
            var params = result.getParams();
            List<Double> samples = new ArrayList<>();
            for (BenchmarkResult b : result.getBenchmarkResults()) {
                for (IterationResult i : b.getIterationResults()) {
                    samples.add(i.getPrimaryResult().getScore());
                }
            }
            return of(params.getBenchmark(), params.getParam("trace"), result.getPrimaryResult().getScoreUnit(), samples);
        }

        /** From JMH's terms: {@code benchmark} is the method's full name, scores are in {@code unit} per replay. */
        static Timing of(String benchmark, String trace, String unit, List<Double> scores) {
            if (scores.isEmpty()) {
                throw new IllegalArgumentException("no measured iterations for " + benchmark);
            }
            int dot = benchmark.lastIndexOf('.');
            String method = benchmark.substring(dot + 1);
            String cls = benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
            Kind kind = switch (cls) {
                case "ReplayBench" -> Kind.REPLAY;
                case "DecodeBench" -> Kind.DECODE;
                default -> throw new IllegalArgumentException("not a CRDT benchmark: " + benchmark);
            };
            String contender = switch (method) {
                case "textDocument" -> "TextDocument";
                case "stringBuilder" -> STRING_BUILDER;
                default -> throw new IllegalArgumentException("unknown contender " + method + " in " + benchmark);
            };
            java.util.function.DoubleUnaryOperator toMs = switch (unit) {
                case "ns/op" -> s -> s / 1e6;
                case "us/op" -> s -> s / 1e3;
                case "ms/op" -> s -> s;
                case "s/op" -> s -> s * 1e3;
                default -> throw new IllegalArgumentException("expected a time per operation, got unit " + unit);
            };
            List<Double> ms = scores.stream().map(toMs::applyAsDouble).toList();
            return new Timing(kind, contender, trace, median(ms), ms);
        }

        boolean ours() {
            return contender.equals("TextDocument");
        }
    }

    static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    // ---------------------------------------------------------------------------------------------
    // rows

    /**
     * Four rows per trace, ours beside every peer measured: replay time (Yjs, Automerge,
     * StringBuilder), retained heap after the replay (the same), the encoding's size with full
     * history (Yjs, Automerge) and its decode time (Yjs, Automerge). A figure that was not measured
     * (the npm peers skipped) is left out of its row; a row without our figure is left out.
     */
    static List<Row> rows(List<String> traces, int prefix, Map<String, JvmFigures> jvm, List<Timing> timings,
                          JsPeers.Outcome js) {
        List<Row> rows = new ArrayList<>();
        for (String trace : traces) {
            JvmFigures mine = jvm.get(trace);
            var theirs = js instanceof JsPeers.Measured m && m.trace(trace) != null ? m.trace(trace).peers() : Map.<String, JsPeers.PeerFigures>of();
            Timing ourReplay = timing(timings, Kind.REPLAY, "TextDocument", trace);
            Timing sbReplay = timing(timings, Kind.REPLAY, STRING_BUILDER, trace);
            Timing ourDecode = timing(timings, Kind.DECODE, "TextDocument", trace);

            if (ourReplay != null) {
                var peers = npm(theirs, JsPeers.PeerFigures::replayMs);
                if (sbReplay != null) {
                    peers.put(STRING_BUILDER, sbReplay.medianMs());
                }
                rows.add(new Row(caseName(trace, prefix, "replay"), "ms", Better.LOWER, ourReplay.medianMs(), peers));
            }
            if (mine != null) {
                var peers = npm(theirs, p -> (double) p.retainedBytes());
                peers.put(STRING_BUILDER, (double) mine.sbRetained());
                rows.add(new Row(caseName(trace, prefix, "retained heap after replay"), "bytes", Better.LOWER, mine.retained(), peers));
                rows.add(new Row(caseName(trace, prefix, "encoded size, full history"), "bytes", Better.LOWER, mine.encoded(),
                        npm(theirs, p -> (double) p.encodedBytes())));
            }
            if (ourDecode != null) {
                rows.add(new Row(caseName(trace, prefix, "decode time"), "ms", Better.LOWER, ourDecode.medianMs(),
                        npm(theirs, JsPeers.PeerFigures::decodeMs)));
            }
        }
        return rows;
    }

    private static Map<String, Double> npm(Map<String, JsPeers.PeerFigures> theirs,
                                           java.util.function.ToDoubleFunction<JsPeers.PeerFigures> figure) {
        Map<String, Double> peers = new LinkedHashMap<>();
        for (String key : List.of("yjs", "automerge")) {
            var p = theirs.get(key);
            if (p != null) {
                peers.put(JsPeers.LABELS.get(key), figure.applyAsDouble(p));
            }
        }
        return peers;
    }

    private static Timing timing(List<Timing> timings, Kind kind, String contender, String trace) {
        return timings.stream().filter(t -> t.kind() == kind && t.contender().equals(contender) && t.trace().equals(trace))
                .findFirst().orElse(null);
    }

    /** "automerge-paper replay", or "automerge-paper (first 10K edits) replay" for a prefix. */
    static String caseName(String trace, int prefix, String what) {
        return trace + (prefix > 0 ? " (first " + count(prefix) + " edits)" : "") + " " + what;
    }

    /** The targets for automerge-paper, each with our figure and whether it is met. */
    static List<String> targets(List<Row> rows) {
        List<String> lines = new ArrayList<>();
        String t = "automerge-paper";
        find(rows, caseName(t, 0, "replay")).ifPresent(r -> {
            lines.add(target("replay", r.ours(), TARGET_REPLAY_MS, "ms", r.ours() <= TARGET_REPLAY_MS));
            double vsYjs = r.advantageOver(YJS);
            if (!Double.isNaN(vsYjs)) {
                lines.add(String.format(Locale.ROOT, "%-26s %10.1fx  target >= %.0fx: %s", "replay vs Yjs", vsYjs,
                        TARGET_VS_YJS, vsYjs >= TARGET_VS_YJS ? "met" : "MISSED"));
            }
        });
        find(rows, caseName(t, 0, "retained heap after replay")).ifPresent(r ->
                lines.add(target("retained heap", r.ours(), TARGET_RETAINED_BYTES, "bytes", r.ours() <= TARGET_RETAINED_BYTES)));
        find(rows, caseName(t, 0, "encoded size, full history")).ifPresent(r ->
                lines.add(target("encoded size", r.ours(), TARGET_ENCODED_BYTES, "bytes", r.ours() <= TARGET_ENCODED_BYTES)));
        find(rows, caseName(t, 0, "decode time")).ifPresent(r ->
                lines.add(target("decode", r.ours(), TARGET_DECODE_MS, "ms", r.ours() <= TARGET_DECODE_MS)));
        return lines;
    }

    private static String target(String what, double ours, double target, String unit, boolean met) {
        return String.format(Locale.ROOT, "%-26s %10s %-5s target <= %s: %s", what, figure(ours), unit, figure(target), met ? "met" : "MISSED");
    }

    private static java.util.Optional<Row> find(List<Row> rows, String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    private static void printTargets(PrintStream out, List<Row> rows, Settings settings) {
        if (settings.prefix() > 0 || !settings.traces().contains("automerge-paper")) {
            out.println("targets (automerge-paper, whole): not checked on a quick run, which replays only a prefix");
            return;
        }
        out.println("targets (automerge-paper, whole):");
        targets(rows).forEach(l -> out.println("  " + l));
    }

    // ---------------------------------------------------------------------------------------------

    /** 10000 as "10K", 1000000 as "1M"; other numbers as they are. */
    static String count(long n) {
        if (n >= 1_000_000 && n % 1_000_000 == 0) {
            return n / 1_000_000 + "M";
        }
        if (n >= 1_000 && n % 1_000 == 0) {
            return n / 1_000 + "K";
        }
        return Long.toString(n);
    }

    private static String bytes(long n) {
        return String.format(Locale.ROOT, "%,d B", n);
    }

    private static String figure(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
