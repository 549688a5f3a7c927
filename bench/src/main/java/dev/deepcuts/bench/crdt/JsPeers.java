package dev.deepcuts.bench.crdt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The npm peers, Yjs and Automerge, run by {@code bench/js/crdt-trace.mjs} in a {@code node}
 * subprocess, and their JSON report read back. Node and npm are optional: when either is missing,
 * too old, or {@code npm ci} fails, the peers come back {@link Skipped} with the reason in one line,
 * and the bench goes on without them. A peer that runs but produces the wrong text is not skipped:
 * the script exits non-zero and {@link #run} throws, naming it.
 */
final class JsPeers {

    /** The oldest node the script supports (package.json's engines). */
    static final int MIN_NODE = 20;

    /** The script's peers, by their key in its JSON, with the label of our table. */
    static final Map<String, String> LABELS = Map.of("yjs", "Yjs", "automerge", "Automerge");

    private final Path jsDir;
    private final String node;
    private final String npm;
    private final Path npmLog;

    /**
     * @param jsDir  {@code bench/js}: package.json, package-lock.json, crdt-trace.mjs
     * @param node   the node command ({@code node}, or a path)
     * @param npm    the npm command
     * @param npmLog where {@code npm ci}'s output goes, if it has to run
     */
    JsPeers(Path jsDir, String node, String npm, Path npmLog) {
        this.jsDir = Objects.requireNonNull(jsDir);
        this.node = Objects.requireNonNull(node);
        this.npm = Objects.requireNonNull(npm);
        this.npmLog = Objects.requireNonNull(npmLog);
    }

    /** What a run gives: the peers' figures, or why there are none. */
    sealed interface Outcome permits Measured, Skipped {}

    /** Node was not there, too old, or its packages could not be installed. */
    record Skipped(String reason) implements Outcome {}

    /**
     * The script's report.
     *
     * @param node     node's version
     * @param versions each npm package's installed version
     * @param notes    what the script says about this run (a prefix, quick mode)
     * @param traces   one entry per trace, in the order run
     */
    record Measured(String node, Map<String, String> versions, List<String> notes, List<TraceFigures> traces) implements Outcome {

        /** The figures of trace {@code name}, or null. */
        TraceFigures trace(String name) {
            return traces.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
        }
    }

    /**
     * One trace as the script replayed it.
     *
     * @param name       the trace
     * @param patches    how many patches were replayed
     * @param prefix     the prefix asked for, or 0 for the whole trace
     * @param endSha256  SHA-256 of the UTF-8 text the peers had to produce
     * @param peers      each peer's figures, by its key ({@code yjs}, {@code automerge})
     */
    record TraceFigures(String name, int patches, int prefix, String endSha256, Map<String, PeerFigures> peers) {}

    /**
     * One peer on one trace.
     *
     * @param replayMs       median replay time
     * @param replaySamples  every timed replay
     * @param retainedBytes  retained heap after the replay, holding the document
     * @param heapMethod     how that was measured
     * @param encodedBytes   size of the encoding with full history
     * @param decodeMs       median time to load that encoding and read the text
     */
    record PeerFigures(double replayMs, List<Double> replaySamples, long retainedBytes, String heapMethod,
                       long encodedBytes, double decodeMs) {}

    /**
     * Installs the packages if needed and runs the script.
     *
     * @param tracesDir the traces folder
     * @param traces    the traces to replay, by name
     * @param prefix    replay only the first this many patches of each; 0 for whole traces
     * @param warmup    untimed runs before the timed ones
     * @param runs      timed runs (the median is reported)
     * @param quick     mark the run as quick in the script's report
     * @param out       where the script's progress lines go
     */
    Outcome run(Path tracesDir, List<String> traces, int prefix, int warmup, int runs, boolean quick, PrintStream out)
            throws IOException, InterruptedException {
        String why = unavailable();
        if (why != null) {
            return new Skipped(why);
        }
        why = installIfNeeded(out);
        if (why != null) {
            return new Skipped(why);
        }
        List<String> cmd = new ArrayList<>(List.of(node, "--expose-gc", jsDir.resolve("crdt-trace.mjs").toString(),
                "--traces", tracesDir.toString(), "--warmup", Integer.toString(warmup), "--runs", Integer.toString(runs)));
        for (String t : traces) {
            cmd.add("--trace");
            cmd.add(t);
        }
        if (prefix > 0) {
            cmd.add("--prefix");
            cmd.add(Integer.toString(prefix));
        }
        if (quick) {
            cmd.add("--quick");
        }
        Process p = new ProcessBuilder(cmd).directory(jsDir.toFile()).start();
        p.getOutputStream().close();
        List<String> errors = new ArrayList<>();
        Thread pump = Thread.ofVirtual().start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (errors) {
                        errors.add(line);
                    }
                    out.println("  node: " + line.strip());
                    out.flush();
                }
            } catch (IOException e) {
                // the process ended; what it printed is already out
            }
        });
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        pump.join();
        if (exit != 0) {
            String last;
            synchronized (errors) {
                last = errors.isEmpty() ? "(nothing on stderr)" : errors.getLast();
            }
            throw new IllegalStateException("the npm peers failed (" + String.join(" ", cmd) + " exited with " + exit + "): " + last);
        }
        return parse(stdout);
    }

    /** Why node cannot run the script, or null if it can. */
    String unavailable() throws InterruptedException {
        if (!Files.isRegularFile(jsDir.resolve("crdt-trace.mjs")) || !Files.isRegularFile(jsDir.resolve("package-lock.json"))) {
            return "no " + jsDir.resolve("crdt-trace.mjs") + " and package-lock.json";
        }
        String version;
        try {
            version = capture(List.of(node, "--version"));
        } catch (IOException e) {
            return "node not found (" + node + ": " + oneLine(e.getMessage()) + "); install Node.js " + MIN_NODE + "+ to measure Yjs and Automerge";
        }
        int major = nodeMajor(version);
        if (major < MIN_NODE) {
            return "node " + version.strip() + " is too old; Node.js " + MIN_NODE + "+ is needed to measure Yjs and Automerge";
        }
        return null;
    }

    /** Runs {@code npm ci} when bench/js/node_modules does not hold the locked versions; null if all is well. */
    private String installIfNeeded(PrintStream out) throws IOException, InterruptedException {
        if (installed()) {
            return null;
        }
        Files.createDirectories(npmLog.getParent());
        out.println("  npm ci in " + jsDir + " (log: " + npmLog + ")");
        Process p;
        try {
            p = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund").directory(jsDir.toFile())
                    .redirectErrorStream(true).redirectOutput(npmLog.toFile()).start();
        } catch (IOException e) {
            return "npm not found (" + npm + ": " + oneLine(e.getMessage()) + "), and " + jsDir.resolve("node_modules")
                    + " lacks the locked packages";
        }
        p.getOutputStream().close();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return "npm ci did not finish in 10 minutes (log: " + npmLog + ")";
        }
        if (p.exitValue() != 0 || !installed()) {
            return "npm ci failed with exit code " + p.exitValue() + " (log: " + npmLog + ")";
        }
        return null;
    }

    /** Whether node_modules holds every dependency of package.json at its pinned version. */
    boolean installed() throws IOException {
        JsonNode pkg = MAPPER.readTree(jsDir.resolve("package.json").toFile());
        var deps = pkg.path("dependencies").properties();
        for (var dep : deps) {
            Path installed = jsDir.resolve("node_modules").resolve(dep.getKey()).resolve("package.json");
            if (!Files.isRegularFile(installed)
                    || !MAPPER.readTree(installed.toFile()).path("version").asText().equals(dep.getValue().asText())) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------
    // the script's JSON

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Reads the script's report; throws with one line naming what is missing. */
    static Measured parse(String json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IllegalStateException("the npm peers' report is not a JSON object: " + abbreviate(json));
        }
        Map<String, String> versions = new LinkedHashMap<>();
        root.path("versions").properties().forEach(e -> versions.put(e.getKey(), e.getValue().asText()));
        List<String> notes = new ArrayList<>();
        root.path("notes").forEach(n -> notes.add(n.asText()));
        List<TraceFigures> traces = new ArrayList<>();
        for (JsonNode t : required(root, "traces")) {
            Map<String, PeerFigures> peers = new LinkedHashMap<>();
            for (var e : required(t, "peers").properties()) {
                JsonNode p = e.getValue();
                List<Double> samples = new ArrayList<>();
                required(p, "replay", "samplesMs").forEach(s -> samples.add(s.asDouble()));
                peers.put(e.getKey(), new PeerFigures(
                        required(p, "replay", "medianMs").asDouble(), List.copyOf(samples),
                        required(p, "retainedHeap", "bytes").asLong(), p.path("retainedHeap").path("method").asText(""),
                        required(p, "encodedBytes").asLong(),
                        required(p, "decode", "medianMs").asDouble()));
            }
            traces.add(new TraceFigures(required(t, "name").asText(), required(t, "patches").asInt(),
                    t.path("prefix").asInt(0), required(t, "endSha256").asText(), peers));
        }
        return new Measured(root.path("node").asText("?"), versions, notes, traces);
    }

    private static JsonNode required(JsonNode node, String... path) {
        JsonNode n = node;
        for (String field : path) {
            n = n.get(field);
            if (n == null || n.isNull()) {
                throw new IllegalStateException("the npm peers' report lacks " + String.join(".", path));
            }
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------------

    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.");

    /** 20 for "v20.20.2"; -1 if it does not look like a version. */
    static int nodeMajor(String version) {
        Matcher m = VERSION.matcher(version.strip());
        return m.lookingAt() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static String capture(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("`" + String.join(" ", cmd) + "` failed: " + oneLine(text));
        }
        return text;
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.strip().lines().findFirst().orElse("");
        return abbreviate(line);
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
