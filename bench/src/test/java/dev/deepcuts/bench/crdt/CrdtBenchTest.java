package dev.deepcuts.bench.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.deepcuts.core.BenchResult.Better;
import dev.deepcuts.core.BenchResult.Row;
import dev.deepcuts.core.Catalog;
import dev.deepcuts.core.Repo;
import dev.deepcuts.core.UsageException;
import dev.deepcuts.crdt.text.EditTrace;

/**
 * The wiring of the CRDT bench without JMH: the npm peers' report read into rows, the skip paths,
 * the traces folder, and (when node and bench/js/node_modules are there) the real script run on a
 * tiny trace beside the untimed JVM measurements, which is the quick path minus the timing.
 */
class CrdtBenchTest {

    private static final String PACKAGE = "dev.deepcuts.bench.crdt.";

    /** "hello", typed with one typo fixed: seven patches, one edit each. */
    private static final String TINY = """
            {"startContent": "", "endContent": "hello", "txns": [
              {"time": "2021-01-01T00:00:00.000Z", "patches": [[0, 0, "h"]]},
              {"time": "2021-01-01T00:00:01.000Z", "patches": [[1, 0, "e"]]},
              {"time": "2021-01-01T00:00:02.000Z", "patches": [[2, 0, "x"]]},
              {"time": "2021-01-01T00:00:03.000Z", "patches": [[2, 1, ""]]},
              {"time": "2021-01-01T00:00:04.000Z", "patches": [[2, 0, "l"]]},
              {"time": "2021-01-01T00:00:05.000Z", "patches": [[3, 0, "l"]]},
              {"time": "2021-01-01T00:00:06.000Z", "patches": [[4, 0, "o"]]}]}
            """;

    /** A paste, then one patch that both deletes and inserts. */
    private static final String REPLACING = """
            {"startContent": "", "endContent": "aXc", "txns": [
              {"time": "t", "patches": [[0, 0, "abc"]]},
              {"time": "t", "patches": [[1, 1, "X"]]}]}
            """;

    @TempDir
    Path tmp;

    @Test
    void theCatalogFindsTheCrdtBenchThroughServiceLoader() {
        var benches = Catalog.load().benches("crdt");
        assertThat(benches).singleElement().isInstanceOf(CrdtBench.class);
        assertThat(benches.getFirst().chapter()).isEqualTo("crdt");
    }

    @Test
    void jmhsAnnotationProcessorListedEveryBenchmark() throws IOException {
        String list;
        try (InputStream in = CrdtBench.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertThat(in).isNotNull();
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(list).contains("ReplayBench_textDocument_jmhTest", "ReplayBench_stringBuilder_jmhTest",
                "DecodeBench_textDocument_jmhTest");
    }

    @Test
    void editsAreTheTracesEditsOrTheFirstNPatches() throws IOException {
        EditTrace trace = EditTrace.load(gzip("tiny", TINY));
        var all = Edits.of(trace, 0);
        assertThat(all.size()).isEqualTo(7);
        assertThat(all.expected()).isEqualTo("hello");
        assertThat(all.expectedSha256()).isEqualTo(Edits.sha256("hello"));

        assertThat(all.patches()).isEqualTo(7);
        var prefix = Edits.of(trace, 3);
        assertThat(prefix.size()).isEqualTo(3);
        assertThat(prefix.patches()).isEqualTo(3);
        assertThat(prefix.expected()).as("a plain replay of the first three patches").isEqualTo("hex");
        var sb = new Edits.StringBuilderEditor();
        prefix.replay(sb);
        assertThat(sb.text()).isEqualTo("hex");

        assertThat(Edits.of(trace, 100).expected()).as("a prefix longer than the trace is the trace").isEqualTo("hello");
        assertThatThrownBy(() -> Edits.of(trace, -1)).hasMessageContaining("-1");
    }

    @Test
    void aPrefixIsRefusedWhereAPatchIsMoreThanOneEdit() throws IOException {
        EditTrace trace = EditTrace.load(gzip("replacing", REPLACING));
        assertThat(Edits.of(trace, 0).size()).as("delete then insert").isEqualTo(3);
        assertThat(Edits.of(trace, 0).patches()).isEqualTo(2);
        assertThat(Edits.of(trace, 0).expected()).isEqualTo("aXc");
        assertThatThrownBy(() -> Edits.of(trace, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 patches make 3 edits");
    }

    @Test
    void aMissingTraceIsOneClearLineNamingTheFolderAndHowToSetIt() {
        assertThatThrownBy(() -> TraceFiles.files(tmp, List.of("automerge-paper")))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining(tmp.resolve("automerge-paper.json.gz").toString())
                .hasMessageContaining("DEEPCUTS_TRACES")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void theTracesFolderIsThePropertyElseTheRepositorysCopy() {
        String old = System.getProperty(TraceFiles.PROPERTY);
        try {
            System.setProperty(TraceFiles.PROPERTY, tmp.toString());
            assertThat(TraceFiles.directory()).isEqualTo(tmp.toAbsolutePath());
            System.clearProperty(TraceFiles.PROPERTY);
            if (System.getenv(TraceFiles.ENV) == null) {
                assertThat(TraceFiles.directory()).isEqualTo(Repo.root().resolve("data/editing-traces"));
            }
        } finally {
            if (old == null) {
                System.clearProperty(TraceFiles.PROPERTY);
            } else {
                System.setProperty(TraceFiles.PROPERTY, old);
            }
        }
    }

    @Test
    void timingsAreMediansInMilliseconds() {
        var t = CrdtBench.Timing.of(PACKAGE + "ReplayBench.textDocument", "automerge-paper", "ms/op", List.of(90.0, 120.0, 80.0));
        assertThat(t.kind()).isEqualTo(CrdtBench.Kind.REPLAY);
        assertThat(t.ours()).isTrue();
        assertThat(t.medianMs()).isEqualTo(90.0);

        var sb = CrdtBench.Timing.of(PACKAGE + "ReplayBench.stringBuilder", "seph-blog1", "us/op", List.of(500.0, 700.0));
        assertThat(sb.contender()).isEqualTo("StringBuilder");
        assertThat(sb.medianMs()).isCloseTo(0.6, within(1e-9));
        assertThat(sb.samplesMs()).containsExactly(0.5, 0.7);

        var decode = CrdtBench.Timing.of(PACKAGE + "DecodeBench.textDocument", "automerge-paper", "s/op", List.of(0.02));
        assertThat(decode.kind()).isEqualTo(CrdtBench.Kind.DECODE);
        assertThat(decode.medianMs()).isCloseTo(20.0, within(1e-9));

        assertThatThrownBy(() -> CrdtBench.Timing.of(PACKAGE + "ReplayBench.textDocument", "x", "ops/ms", List.of(1.0)))
                .hasMessageContaining("ops/ms");
        assertThatThrownBy(() -> CrdtBench.Timing.of(PACKAGE + "ReplayBench.rope", "x", "ms/op", List.of(1.0)))
                .hasMessageContaining("rope");
    }

    @Test
    void theScriptsReportBecomesFourRowsPerTraceWithEveryPeer() throws IOException {
        var js = JsPeers.parse(report("automerge-paper", 259_778, 0, "abc"));
        assertThat(js.node()).isEqualTo("v20.20.2");
        assertThat(js.versions()).containsEntry("yjs", "13.6.33");
        var yjs = js.trace("automerge-paper").peers().get("yjs");
        assertThat(yjs.replayMs()).isEqualTo(1400.5);
        assertThat(yjs.replaySamples()).containsExactly(1400.5, 1390.0, 1410.0);
        assertThat(yjs.retainedBytes()).isEqualTo(3_600_000);

        var jvm = Map.of("automerge-paper", new CrdtBench.JvmFigures(259_778, "abc", 2_000_000, 210_000, 120_000));
        var timings = List.of(
                CrdtBench.Timing.of(PACKAGE + "ReplayBench.textDocument", "automerge-paper", "ms/op", List.of(35.0)),
                CrdtBench.Timing.of(PACKAGE + "ReplayBench.stringBuilder", "automerge-paper", "ms/op", List.of(700.0)),
                CrdtBench.Timing.of(PACKAGE + "DecodeBench.textDocument", "automerge-paper", "ms/op", List.of(9.0)));
        List<Row> rows = CrdtBench.rows(List.of("automerge-paper"), 0, jvm, timings, js);

        assertThat(rows).extracting(Row::name).containsExactly(
                "automerge-paper replay",
                "automerge-paper retained heap after replay",
                "automerge-paper encoded size, full history",
                "automerge-paper decode time");
        assertThat(rows).allSatisfy(r -> assertThat(r.better()).isEqualTo(Better.LOWER));
        Row replay = rows.get(0);
        assertThat(replay.unit()).isEqualTo("ms");
        assertThat(replay.ours()).isEqualTo(35.0);
        assertThat(replay.peers()).containsExactly(Map.entry("Yjs", 1400.5), Map.entry("Automerge", 21000.0),
                Map.entry("StringBuilder", 700.0));
        assertThat(replay.advantageOver("Yjs")).isCloseTo(40.01, within(0.01));
        assertThat(rows.get(1).peers()).containsExactly(Map.entry("Yjs", 3_600_000.0), Map.entry("Automerge", 56_000_000.0),
                Map.entry("StringBuilder", 210_000.0));
        assertThat(rows.get(2).ours()).isEqualTo(120_000.0);
        assertThat(rows.get(2).peers()).containsExactly(Map.entry("Yjs", 311_038.0), Map.entry("Automerge", 129_245.0));
        assertThat(rows.get(3).peers()).containsExactly(Map.entry("Yjs", 45.0), Map.entry("Automerge", 4500.0));

        assertThat(CrdtBench.targets(rows)).containsExactly(
                "replay                          35.00 ms    target <= 100: met",
                "replay vs Yjs                    40.0x  target >= 40x: met",
                "retained heap               2,000,000 bytes target <= 4,000,000: met",
                "encoded size                  120,000 bytes target <= 160,000: met",
                "decode                           9.00 ms    target <= 50.00: met");
    }

    @Test
    void whenThePeersAreSkippedTheRowsKeepOursAndTheStringBuilder() {
        var jvm = Map.of("automerge-paper", new CrdtBench.JvmFigures(10_000, "abc", 110_000, 9_000, 5_000));
        var timings = List.of(
                CrdtBench.Timing.of(PACKAGE + "ReplayBench.textDocument", "automerge-paper", "ms/op", List.of(1.5)),
                CrdtBench.Timing.of(PACKAGE + "ReplayBench.stringBuilder", "automerge-paper", "ms/op", List.of(0.5)),
                CrdtBench.Timing.of(PACKAGE + "DecodeBench.textDocument", "automerge-paper", "ms/op", List.of(2.0)));
        List<Row> rows = CrdtBench.rows(List.of("automerge-paper"), 10_000, jvm, timings, new JsPeers.Skipped("node not found"));
        assertThat(rows).extracting(Row::name).containsExactly(
                "automerge-paper (first 10K edits) replay",
                "automerge-paper (first 10K edits) retained heap after replay",
                "automerge-paper (first 10K edits) encoded size, full history",
                "automerge-paper (first 10K edits) decode time");
        assertThat(rows.get(0).peers()).containsOnlyKeys("StringBuilder");
        assertThat(rows.get(2).peers()).isEmpty();
        assertThat(CrdtBench.targets(rows)).as("targets are for the whole trace").isEmpty();
    }

    @Test
    void thePeersMustHaveDoneTheSameWork() throws IOException {
        var js = JsPeers.parse(report("automerge-paper", 10_000, 10_000, "abc"));
        CrdtBench.checkSameWork(js, Map.of("automerge-paper", new CrdtBench.JvmFigures(10_000, "abc", 1, 1, 1)));
        assertThatThrownBy(() -> CrdtBench.checkSameWork(js, Map.of("automerge-paper", new CrdtBench.JvmFigures(10_000, "abd", 1, 1, 1))))
                .hasMessageContaining("not the same work");
        assertThatThrownBy(() -> CrdtBench.checkSameWork(js, Map.of("seph-blog1", new CrdtBench.JvmFigures(10_000, "abc", 1, 1, 1))))
                .hasMessageContaining("did not report trace seph-blog1");
    }

    @Test
    void aReportWithoutAFigureIsRefusedNamingIt() {
        assertThatThrownBy(() -> JsPeers.parse("{\"traces\": [{\"name\": \"x\", \"patches\": 1, \"endSha256\": \"a\","
                + " \"peers\": {\"yjs\": {\"replay\": {\"samplesMs\": []}}}}]}"))
                .hasMessageContaining("replay.medianMs");
        assertThatThrownBy(() -> JsPeers.parse("[]")).hasMessageContaining("not a JSON object");
    }

    @Test
    void nodeVersionsAreReadByTheirMajor() {
        assertThat(JsPeers.nodeMajor("v20.20.2\n")).isEqualTo(20);
        assertThat(JsPeers.nodeMajor("v8.1.0")).isEqualTo(8);
        assertThat(JsPeers.nodeMajor("command not found")).isEqualTo(-1);
    }

    @Test
    void withoutNodeThePeersAreSkippedSayingWhy() throws Exception {
        var peers = new JsPeers(jsDir(), "deepcuts-no-such-node", "npm", tmp.resolve("npm.log"));
        var outcome = peers.run(tmp, List.of("automerge-paper"), 0, 0, 1, true, quiet());
        assertThat(outcome).isInstanceOfSatisfying(JsPeers.Skipped.class, s -> {
            assertThat(s.reason()).startsWith("node not found (deepcuts-no-such-node");
            assertThat(s.reason()).doesNotContain("\n");
        });
    }

    @Test
    void anOldNodeIsSkippedSayingWhy() throws Exception {
        Path node = fakeNode("echo v16.20.0");
        var outcome = new JsPeers(jsDir(), node.toString(), "npm", tmp.resolve("npm.log"))
                .run(tmp, List.of("automerge-paper"), 0, 0, 1, true, quiet());
        assertThat(outcome).isInstanceOfSatisfying(JsPeers.Skipped.class,
                s -> assertThat(s.reason()).contains("v16.20.0 is too old"));
    }

    @Test
    void withoutNpmAndWithoutNodeModulesThePeersAreSkippedSayingWhy() throws Exception {
        Path js = Files.createDirectories(tmp.resolve("js"));
        for (String f : List.of("package.json", "package-lock.json", "crdt-trace.mjs")) {
            Files.copy(jsDir().resolve(f), js.resolve(f));
        }
        Path node = fakeNode("echo v20.0.0");
        var peers = new JsPeers(js, node.toString(), "deepcuts-no-such-npm", tmp.resolve("logs/npm.log"));
        assertThat(peers.installed()).isFalse();
        var outcome = peers.run(tmp, List.of("automerge-paper"), 0, 0, 1, true, quiet());
        assertThat(outcome).isInstanceOfSatisfying(JsPeers.Skipped.class,
                s -> assertThat(s.reason()).startsWith("npm not found (deepcuts-no-such-npm").contains("node_modules"));
    }

    @Test
    void aPeerThatFailsFailsTheBenchNamingItsLastWords() throws Exception {
        Path js = Files.createDirectories(tmp.resolve("js"));
        for (String f : List.of("package.json", "package-lock.json", "crdt-trace.mjs")) {
            Files.copy(jsDir().resolve(f), js.resolve(f));
        }
        fakeInstall(js);
        Path node = fakeNode("echo 'crdt-trace: yjs replay of x produced 3 chars, expected 5' >&2; exit 1");
        var peers = new JsPeers(js, node.toString(), "npm", tmp.resolve("npm.log"));
        assertThat(peers.installed()).isTrue();
        assertThatThrownBy(() -> peers.run(tmp, List.of("x"), 0, 0, 1, true, quiet()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with 1")
                .hasMessageContaining("yjs replay of x produced 3 chars, expected 5");
    }

    /**
     * The quick path without JMH: the real script replays two tiny traces into Yjs and Automerge
     * (one with a patch that deletes and inserts, as seph-blog1 has), our document and the
     * StringBuilder replay them here, both sides agree they did the same work, and the rows come
     * out with every peer.
     */
    @Test
    void theScriptAndTheJvmSideReplayTheSameTinyTrace() throws Exception {
        var peers = new JsPeers(jsDir(), "node", "npm", tmp.resolve("npm.log"));
        assumeTrue(peers.unavailable() == null, "node " + JsPeers.MIN_NODE + "+ is not available: " + peers.unavailable());
        assumeTrue(peers.installed(), "bench/js/node_modules lacks the locked packages (run npm ci in bench/js)");
        gzip("tiny", TINY);
        gzip("replacing", REPLACING);

        var log = new ByteArrayOutputStream();
        var outcome = peers.run(tmp, List.of("tiny", "replacing"), 0, 0, 1, true, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(outcome).as(log.toString(StandardCharsets.UTF_8)).isInstanceOf(JsPeers.Measured.class);
        var js = (JsPeers.Measured) outcome;
        assertThat(js.versions()).containsOnlyKeys("yjs", "@automerge/automerge");
        assertThat(js.trace("tiny").peers()).containsOnlyKeys("yjs", "automerge");
        assertThat(js.trace("replacing").patches()).isEqualTo(2);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("node: yjs, tiny: replay");

        var jvm = Map.of(
                "tiny", CrdtBench.measureUntimed(EditTrace.load(tmp.resolve("tiny.json.gz")), 0, quiet()),
                "replacing", CrdtBench.measureUntimed(EditTrace.load(tmp.resolve("replacing.json.gz")), 0, quiet()));
        assertThat(jvm.get("tiny").retained()).isPositive();
        assertThat(jvm.get("tiny").sbRetained()).isPositive();
        assertThat(jvm.get("replacing").patches()).as("patches, not edits, are what both sides count").isEqualTo(2);
        CrdtBench.checkSameWork(js, jvm);

        var rows = CrdtBench.rows(List.of("tiny"), 0, jvm,
                List.of(CrdtBench.Timing.of(PACKAGE + "ReplayBench.textDocument", "tiny", "ms/op", List.of(0.01))), js);
        assertThat(rows).extracting(Row::name).containsExactly(
                "tiny replay", "tiny retained heap after replay", "tiny encoded size, full history");
        assertThat(rows.get(0).peers()).containsOnlyKeys("Yjs", "Automerge");
        assertThat(rows.get(2).peers().get("Yjs")).isPositive();
    }

    @Test
    void eachTraceGetsItsForksAndTheForksFindTheTraces() {
        var quick = CrdtBench.QUICK;
        assertThat(quick.benchmarkCount()).isEqualTo(3);
        var options = CrdtBench.options(quick, tmp, "automerge-paper");
        var p = Pattern.compile(options.getIncludes().iterator().next());
        assertThat(p.matcher(PACKAGE + "ReplayBench.textDocument").find()).isTrue();
        assertThat(p.matcher(PACKAGE + "DecodeBench.textDocument").find()).isTrue();
        assertThat(p.matcher("dev.deepcuts.bench.bloom.LookupBench.guava").find()).isFalse();
        assertThat(options.getParameter("trace").get()).containsExactly("automerge-paper");
        assertThat(options.getParameter("prefix").get()).containsExactly("10000");
        assertThat(options.getForkCount().get()).isEqualTo(1);
        assertThat(options.getJvmArgs().get()).contains("-D" + TraceFiles.PROPERTY + "=" + tmp);

        var full = CrdtBench.options(CrdtBench.FULL, tmp, "seph-blog1");
        assertThat(full.getParameter("trace").get()).containsExactly("seph-blog1");
        assertThat(full.getParameter("prefix").get()).containsExactly("0");
        assertThat(full.shouldDoGC().get()).isTrue();
        assertThat(CrdtBench.FULL.benchmarkCount()).isEqualTo(6);
    }

    @Test
    void countsAreShortInCaseNames() {
        assertThat(CrdtBench.count(10_000)).isEqualTo("10K");
        assertThat(CrdtBench.count(1_000_000)).isEqualTo("1M");
        assertThat(CrdtBench.count(259_778)).isEqualTo("259778");
        assertThat(CrdtBench.median(List.of(3.0, 1.0, 2.0, 10.0))).isEqualTo(2.5);
    }

    // ---------------------------------------------------------------------------------------------

    private Path gzip(String name, String json) throws IOException {
        Path file = tmp.resolve(name + ".json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    private static Path jsDir() {
        return Repo.root().resolve("bench/js");
    }

    /** An executable that answers {@code --version} with {@code versionCommand}'s output, else runs {@code otherwise}. */
    private Path fakeNode(String script) throws IOException {
        Path node = tmp.resolve("fake-node");
        String body = script.startsWith("echo v")
                ? "#!/bin/sh\n" + script + "\n"
                : "#!/bin/sh\nif [ \"$1\" = --version ]; then echo v20.0.0; exit 0; fi\n" + script + "\n";
        Files.writeString(node, body);
        Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rwxr-xr-x"));
        return node;
    }

    /** node_modules/&lt;dep&gt;/package.json at each pinned version, as npm ci would leave them. */
    private static void fakeInstall(Path js) throws IOException {
        var pkg = new com.fasterxml.jackson.databind.ObjectMapper().readTree(js.resolve("package.json").toFile());
        for (var dep : pkg.path("dependencies").properties()) {
            Path dir = Files.createDirectories(js.resolve("node_modules").resolve(dep.getKey()));
            Files.writeString(dir.resolve("package.json"), "{\"version\": \"" + dep.getValue().asText() + "\"}");
        }
    }

    private static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }

    /** The script's report, as it prints it, for one trace. */
    private static String report(String trace, int patches, int prefix, String sha) {
        return """
                {"node": "v20.20.2", "versions": {"yjs": "13.6.33", "@automerge/automerge": "3.5.0"},
                 "quick": false, "runs": 3, "warmup": 1, "notes": [],
                 "traces": [{"name": "%s", "patches": %d, "totalPatches": 259778, "prefix": %s, "endLength": 104852,
                   "endSha256": "%s",
                   "peers": {
                     "yjs": {"replay": {"medianMs": 1400.5, "samplesMs": [1400.5, 1390.0, 1410.0]},
                             "retainedHeap": {"bytes": 3600000, "heapUsedDelta": 3590000, "externalDelta": 10000, "method": "m"},
                             "encodedBytes": 311038, "encoding": "e", "decode": {"medianMs": 45.0, "samplesMs": [45.0]}},
                     "automerge": {"replay": {"medianMs": 21000.0, "samplesMs": [21000.0]},
                             "retainedHeap": {"bytes": 56000000, "heapUsedDelta": 340000, "externalDelta": 55660000, "method": "m"},
                             "encodedBytes": 129245, "encoding": "e", "decode": {"medianMs": 4500.0, "samplesMs": [4500.0]}}}}]}
                """.formatted(trace, patches, prefix == 0 ? "null" : Integer.toString(prefix), sha);
    }
}
