package dev.deepcuts.bench.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.deepcuts.core.BenchResult.Better;
import dev.deepcuts.core.BenchResult.Row;
import dev.deepcuts.core.Catalog;
import dev.deepcuts.core.Progress;
import dev.deepcuts.core.UsageException;
import dev.deepcuts.wal.FileStorage;
import dev.deepcuts.wal.KvStore;
import dev.deepcuts.wal.WalConfig;

/**
 * The harness of the wal bench in pieces, each run tiny: every contender opened, populated and run
 * for a tenth of a second; the recovery case on a log of a few hundred kilobytes in small segments;
 * the rows, the targets and the report built from made-up samples. The timing itself (the rounds)
 * is not asserted on: a test never times a disk.
 */
class WalBenchTest {

    @TempDir
    Path tmp;

    @Test
    void theCatalogFindsTheWalBenchThroughServiceLoader() {
        var benches = Catalog.load().benches("wal");
        assertThat(benches).singleElement().isInstanceOf(WalBench.class);
        assertThat(benches.getFirst().chapter()).isEqualTo("wal");
    }

    @Test
    void keysAreSixteenBytesAndWritersTakeDisjointKeysThatCoverTheSpace() {
        Workload w = Workload.of(64, 1);
        assertThat(w.key(0)).hasSize(16).isEqualTo("key-000000000000".getBytes(StandardCharsets.US_ASCII));
        Set<String> oneWriter = new HashSet<>();
        for (long n = 0; n < 64; n++) {
            oneWriter.add(new String(w.key(n, 1, 0), StandardCharsets.US_ASCII));
        }
        assertThat(oneWriter).as("one writer cycles through every key").hasSize(64);
        for (long n = 0; n < 8; n++) {
            Set<String> atOnce = new HashSet<>();
            for (int writer = 0; writer < 8; writer++) {
                atOnce.add(new String(w.key(n, 8, writer), StandardCharsets.US_ASCII));
            }
            assertThat(atOnce).as("the 8 writers' n-th keys are distinct").hasSize(8);
        }
    }

    @Test
    void everyCommitWritesANewValue() {
        Workload w = Workload.of(16, 1);
        Set<String> seen = new HashSet<>();
        byte[] into = new byte[Workload.VALUE_BYTES];
        for (int k = 0; k < 16; k++) {
            assertThat(seen.add(HexFormat.of().formatHex(w.value(Workload.populateStamp(k))))).isTrue();
        }
        for (int writer = 0; writer < 8; writer++) {
            for (long n = 0; n < 200; n++) {
                w.value(Workload.stamp(writer, n), into);
                assertThat(into).isEqualTo(w.value(Workload.stamp(writer, n)));
                assertThat(seen.add(HexFormat.of().formatHex(into))).as("writer %d commit %d", writer, n).isTrue();
            }
        }
    }

    @Test
    void theStoreConfigHoldsTheWholeKeySpaceWithoutAFullPage() throws IOException {
        Workload w = Workload.of(WalBench.FULL.keys(), 42);
        assertThat(WalBench.QUICK.keys()).isEqualTo(WalBench.FULL.keys());
        try (KvStore store = KvStore.open(new FileStorage(tmp.resolve("kv")), WalBench.storeConfig())) {
            var txn = store.begin();
            for (int k = 0; k < w.keys(); k++) {
                txn.put(w.key(k), w.value(Workload.stamp(7, k)));     // a full page would throw here
            }
            txn.commit();
            assertThat(store.get(w.key(w.keys() - 1))).isEqualTo(w.value(Workload.stamp(7, w.keys() - 1)));
        }
        assertThat(WalBench.storeConfig().bufferPages()).as("every page in the pool: no eviction flushes the log mid-commit")
                .isEqualTo(WalBench.storeConfig().pages());
    }

    @ParameterizedTest
    @EnumSource(Contender.Kind.class)
    void everyContenderOpensPopulatesAndCommitsFromTwoWriters(Contender.Kind kind) throws Exception {
        Workload w = Workload.of(64, 3);
        Path dir = Files.createDirectories(tmp.resolve(kind.name()));
        try (Contender c = kind.open(dir, 2)) {
            assertThat(c.kind()).isEqualTo(kind);
            assertThat(c.describe()).isNotBlank();
            Contender.Session[] sessions = {c.session(0), c.session(1)};
            CommitRun.populate(c, sessions, w, 2);
            long[] next = new long[2];
            var sample = CommitRun.run(c, sessions, next, w, 2, 20, 100);
            assertThat(sample.kind()).isEqualTo(kind);
            assertThat(sample.writers()).isEqualTo(2);
            assertThat(sample.commits()).isPositive();
            assertThat(sample.seconds()).isGreaterThanOrEqualTo(0.1);
            assertThat(next[0]).as("writer 0 carries its sequence to the next run").isGreaterThan(0);
            if (kind == Contender.Kind.SQLITE) {
                assertThat(sample.syncs()).isEqualTo(-1);
                assertThat(sample.perSync()).isNaN();
            } else {
                assertThat(sample.syncs()).isPositive();
                assertThat(sample.perSync()).isGreaterThan(0);
            }
            assertThatThrownBy(() -> CommitRun.run(c, sessions, next, w, 3, 1, 1)).hasMessageContaining("writers must be in [1, 2], got 3");
        }
    }

    @Test
    void aFailingWriterFailsTheRunNamingTheContender() throws Exception {
        Workload w = Workload.of(8, 1);
        try (Contender c = Contender.Kind.FDATASYNC.open(Files.createDirectories(tmp.resolve("f")), 1)) {
            Contender.Session broken = (key, value) -> {
                throw new IOException("disk on fire");
            };
            assertThatThrownBy(() -> CommitRun.run(c, new Contender.Session[] {broken}, new long[1], w, 1, 10, 10))
                    .hasMessageContaining("raw fdatasync failed with 1 writer(s)")
                    .hasMessageContaining("disk on fire");
        }
    }

    @Test
    void recoveryReplaysTheWholeLogOfFreshCopiesAndLeavesTheCrashedFolderAlone() throws IOException {
        // 64 KiB segments, so that a small log spans many of them and the copies are mostly hard links
        KvStore.Config config = WalBench.storeConfig().withWal(WalConfig.defaults().withSegmentSize(64 << 10));
        Workload w = Workload.of(256, 5);
        var out = new ByteArrayOutputStream();
        Path dir = tmp.resolve("recovery");
        var figures = RecoveryRun.run(dir, config, 1 << 20, 2, w, new PrintStream(out, true, StandardCharsets.UTF_8),
                Progress.silent());
        assertThat(figures.transactions()).isPositive();
        assertThat(figures.logBytes()).isGreaterThanOrEqualTo(1 << 20);
        assertThat(figures.replayGbps()).hasSize(2).allSatisfy(g -> assertThat(g).isPositive());
        assertThat(figures.scanGbps()).hasSize(2).allSatisfy(g -> assertThat(g).isPositive());
        assertThat(figures.openSeconds()).hasSize(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("left without a checkpoint");
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).as("every trial copy deleted").containsExactly("crashed");
        }

        // the crashed folder survives a further copy, open and close unchanged: a trial never writes into a link
        Path crashed = dir.resolve("crashed");
        Map<String, String> before = digests(crashed);
        Path copy = tmp.resolve("copy");
        assertThat(RecoveryRun.copyCrashed(crashed, copy)).isTrue();
        long segments = before.keySet().stream().filter(n -> RecoveryRun.segmentOf(n) >= 0).count();
        long links = 0;
        for (String name : before.keySet()) {
            if (Files.isSameFile(crashed.resolve(name), copy.resolve(name))) {
                links++;
            }
        }
        assertThat(links).as("all segments but the last two are hard links").isEqualTo(segments - 2);
        try (KvStore store = KvStore.open(new FileStorage(copy), config.withWal(config.wal().withSpareSegments(0)))) {
            assertThat(store.recovery().committed()).isEqualTo(figures.transactions());
            store.begin().put(w.key(0), w.value(99)).commit();
        }
        assertThat(digests(crashed)).isEqualTo(before);
    }

    @Test
    void aFreshFolderForTheStoresIsMadeWhereTheSettingSaysAndTmpfsIsCalledOut() throws IOException {
        String old = System.getProperty(WalBench.DIR_PROPERTY);
        try {
            System.setProperty(WalBench.DIR_PROPERTY, tmp.resolve("base").toString());
            var out = new ByteArrayOutputStream();
            Path dir = WalBench.scratch(WalBench.QUICK, new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(dir.getParent()).isEqualTo(tmp.resolve("base").toAbsolutePath());
            assertThat(dir.getFileName().toString()).startsWith("deepcuts-bench-wal-");
            assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("data under " + dir);
            WalBench.deleteTree(dir);
            assertThat(dir).doesNotExist();
        } finally {
            if (old == null) {
                System.clearProperty(WalBench.DIR_PROPERTY);
            } else {
                System.setProperty(WalBench.DIR_PROPERTY, old);
            }
        }
        assertThat(WalBench.inMemory("tmpfs")).isTrue();
        assertThat(WalBench.inMemory("ramfs")).isTrue();
        assertThat(WalBench.inMemory("ext4")).isFalse();
    }

    @Test
    void aSecondRunIsRefusedWhileTheLockIsHeld() throws IOException {
        Path file = tmp.resolve("jmh.lock");
        try (var lock = WalBench.BenchLock.acquire(file)) {
            assertThatThrownBy(() -> WalBench.BenchLock.acquire(file))
                    .isInstanceOf(UsageException.class)
                    .hasMessageContaining("another benchmark run is in progress")
                    .hasMessageContaining(file.toString());
        }
        WalBench.BenchLock.acquire(file).close();
    }

    @Test
    void rowsAreMediansOfTheRoundsOursBesideEveryPeer() {
        List<CommitRun.Sample> samples = new ArrayList<>();
        // three rounds; the middle value of each contender is the median
        double[][] perRound = {{10_000, 12_000, 11_000}, {30_000, 20_000, 25_000}};
        for (int r = 0; r < 3; r++) {
            for (int i = 0; i < 2; i++) {
                int writers = WalBench.WRITERS[i];
                double scale = perRound[i][r];
                samples.add(sample(Contender.Kind.KV_STORE, writers, scale, i == 0 ? scale : scale / 7.5).inRound(r + 1));
                samples.add(sample(Contender.Kind.LOG, writers, scale * 1.1, i == 0 ? scale : scale / 8).inRound(r + 1));
                samples.add(sample(Contender.Kind.SQLITE, writers, 9_000 + r, -1).inRound(r + 1));
                samples.add(sample(Contender.Kind.ROCKSDB, writers, i == 0 ? 7_500 : 12_000, i == 0 ? 7_500 : 3_000).inRound(r + 1));
                samples.add(sample(Contender.Kind.FDATASYNC, writers, 11_500, 11_500).inRound(r + 1));
            }
        }
        var recovery = new RecoveryRun.Figures(1L << 30, 5_000_000, List.of(1.1, 0.9, 1.0), List.of(2.0, 2.1, 2.2),
                List.of(2.5, 2.4, 2.6), true);

        List<Row> rows = WalBench.rows(samples, recovery);

        assertThat(rows).extracting(Row::name).containsExactly(
                "durable commits/s, 1 writer: KvStore, one put of 100 B per transaction",
                "durable commits/s, 8 writers: KvStore, one put of 100 B per transaction",
                "durable commits/s, 1 writer: our WriteAheadLog alone, append 100 B + commit",
                "durable commits/s, 8 writers: our WriteAheadLog alone, append 100 B + commit",
                "commits per fsync, 8 writers: KvStore",
                "crash recovery, KvStore.open redo of a 1 GiB log, warm page cache",
                "log scan alone, WriteAheadLog.read of the same 1 GiB");
        assertThat(rows).allSatisfy(r -> assertThat(r.better()).isEqualTo(Better.HIGHER));
        Row one = rows.get(0);
        assertThat(one.unit()).isEqualTo("commits/s");
        assertThat(one.ours()).isCloseTo(11_000, within(1.0));
        assertThat(one.peers()).containsExactly(Map.entry("SQLite", 9_001.0), Map.entry("RocksDB", 7_500.0),
                Map.entry("raw fdatasync", 11_500.0));
        assertThat(one.advantageOver("SQLite")).isCloseTo(11_000 / 9_001.0, within(1e-3));
        assertThat(rows.get(1).ours()).isCloseTo(25_000, within(1.0));
        assertThat(rows.get(3).ours()).isCloseTo(27_500, within(1.0));
        Row perFsync = rows.get(4);
        assertThat(perFsync.unit()).isEqualTo("commits/fsync");
        assertThat(perFsync.ours()).isCloseTo(7.5, within(1e-6));
        assertThat(perFsync.peers()).containsExactly(Map.entry("RocksDB", 4.0));
        assertThat(rows.get(5).ours()).isEqualTo(1.0);
        assertThat(rows.get(5).unit()).isEqualTo("GB/s");
        assertThat(rows.get(6).ours()).isEqualTo(2.5);

        // round by round, 1 writer: 10000/9000, 12000/9001, 11000/9002; 8 writers: 30000/12000, 20000/12000, 25000/12000
        assertThat(WalBench.pairedRatios(samples, Contender.Kind.KV_STORE, Contender.Kind.SQLITE, 1))
                .containsExactly(10_000 / 9_000.0, 12_000 / 9_001.0, 11_000 / 9_002.0);
        assertThat(WalBench.targets(rows, samples)).containsExactly(
                "1 writer, KvStore vs SQLite             1.22x  target >= 1.2x   met (round by round: median 1.22x of 3)",
                "8 writers, KvStore vs RocksDB           2.08x  target >= 2x     met (round by round: median 2.08x of 3)",
                "8 writers, commits per fsync              7.5  target >= 8      MISSED",
                "recovery (redo)                     1.00 GB/s  target >= 1 GB/s met");
    }

    @Test
    void withoutRecoveryOrSyncCountsTheirRowsAreLeftOut() {
        List<CommitRun.Sample> samples = List.of(
                sample(Contender.Kind.KV_STORE, 8, 20_000, -1),
                sample(Contender.Kind.SQLITE, 8, 9_000, -1));
        List<Row> rows = WalBench.rows(samples, null);
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("durable commits/s, 8 writers: KvStore, one put of 100 B per transaction");
            assertThat(r.peers()).containsOnlyKeys("SQLite");
        });
        assertThat(WalBench.targets(rows, samples)).as("no RocksDB figure: no ratio to judge").isEmpty();
    }

    @Test
    void theReportPrintsOneLinePerRoundAndATableOfMedians() {
        List<CommitRun.Sample> round = List.of(
                sample(Contender.Kind.KV_STORE, 8, 21_345, 21_345 / 4.0),
                sample(Contender.Kind.SQLITE, 8, 9_100, -1),
                sample(Contender.Kind.FDATASYNC, 8, 15_000, 15_000));
        assertThat(WalBench.roundLine(2, 5, 8, round))
                .isEqualTo("  round 2/5, 8 writers: KvStore 21,345/s (4.0 per sync), SQLite 9,100/s, raw fdatasync 15,000/s");
        String table = WalBench.samplesTable(round).render();
        assertThat(table).contains("KvStore (ours)").contains("21,345").contains("4.00").contains("SQLite");
    }

    @Test
    void everyRoundRunsEveryContenderOnceInAnOrderThatChanges() {
        Set<List<Contender.Kind>> orders = new HashSet<>();
        Set<Contender.Kind> firsts = new HashSet<>();
        for (int r = 0; r < 20; r++) {
            var order = WalBench.order(r, 1);
            assertThat(order).containsExactlyInAnyOrder(Contender.Kind.values());
            assertThat(WalBench.order(r, 1)).as("seeded: the same order again").isEqualTo(order);
            orders.add(order);
            firsts.add(order.getFirst());
        }
        assertThat(orders).hasSizeGreaterThan(10);
        assertThat(firsts).as("every contender goes first in some round").hasSize(Contender.Kind.values().length);
    }

    @Test
    void mediansBytesAndSegmentNames() {
        assertThat(WalBench.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(WalBench.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        assertThatThrownBy(() -> WalBench.median(List.of())).hasMessageContaining("nothing");
        assertThat(WalBench.bytes(1L << 30)).isEqualTo("1 GiB");
        assertThat(WalBench.bytes(50_000_000)).isEqualTo("50 MB");
        assertThat(WalBench.bytes(54_400_000)).isEqualTo("51.9 MiB");
        assertThat(RecoveryRun.segmentOf("000000000000001F.wal")).isEqualTo(31);
        assertThat(RecoveryRun.segmentOf("spare-000000000000001F.wal")).isEqualTo(-1);
        assertThat(RecoveryRun.segmentOf("control")).isEqualTo(-1);
        assertThat(WalBench.QUICK.runs()).isEqualTo(4 * 2 * 5);
    }

    private static CommitRun.Sample sample(Contender.Kind kind, int writers, double perSecond, double syncsPerSecond) {
        return new CommitRun.Sample(0, kind, writers, Math.round(perSecond * 2), 2.0, syncsPerSecond < 0 ? -1 : Math.round(syncsPerSecond * 2), 1.0);
    }

    private static Map<String, String> digests(Path dir) throws IOException {
        Map<String, String> d = new TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                try {
                    d.put(f.getFileName().toString(),
                            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return d;
    }
}
