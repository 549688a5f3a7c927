package dev.deepcuts.bench.wal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

import dev.deepcuts.core.Bench;
import dev.deepcuts.core.BenchContext;
import dev.deepcuts.core.BenchResult;
import dev.deepcuts.core.BenchResult.Better;
import dev.deepcuts.core.BenchResult.Row;
import dev.deepcuts.core.Table;
import dev.deepcuts.core.UsageException;
import dev.deepcuts.wal.KvStore;

/**
 * Chapter 2's write-ahead log and the key-value store on it, against SQLite (WAL mode,
 * {@code synchronous=FULL}) and RocksDB ({@code sync=true}), every commit durable when it returns:
 * durable commits per second with 1 and 8 writer threads and 100-byte values, beside the raw
 * fdatasync rate of the same disk (the physical limit of one writer); our commits per fsync; and
 * crash recovery, in GB of log replayed per second from a warm page cache.
 *
 * <p>Run it with {@code ./deepcuts bench wal} (20 rounds of 0.6-second runs and a 1 GiB log: about 3
 * minutes; writes {@code book/results/bench-wal.json}) or {@code ./deepcuts bench wal --quick}
 * (4 rounds of 0.3 s and a 50 MB log: about half a minute, writes under {@code target/deepcuts/}). On
 * a shared machine take the benchmark lock: {@code flock /tmp/jmh.lock ./deepcuts bench wal}; the
 * bench also refuses to start while a JMH run holds {@code jmh.lock}. The stores live in a new
 * folder under {@code java.io.tmpdir}, or under {@code DEEPCUTS_BENCH_DIR} (or
 * {@code -Ddeepcuts.bench.dir}) if set: it must be on the disk to measure, not tmpfs, where an
 * fsync costs nothing (the bench warns). The folder is deleted at the end.
 *
 * <p>Why not JMH. A durable commit costs a disk flush, 100 to 150 µs here, a hundred times the
 * cost of anything JIT-compiled around it, so there is no dead code to defeat and no timer
 * resolution to worry about; what matters is the disk, and the disk is noisy (a virtual disk on a
 * shared host). JMH measures one benchmark after another, each in its own fork: SQLite would be
 * measured minutes apart from us, in different disk weather, and each fork would re-open the stores
 * and reload the native libraries. Here every contender stays open in one JVM, and short runs
 * alternate, contender by contender, round after round, in a shuffled order; we report the median
 * of the rounds, so a slow minute of the disk hits every contender alike. Many short rounds beat a
 * few long ones: each contender is measured within seconds of the others, again and again. The
 * peers run over JNI (RocksDB) and JDBC (SQLite), and their writers are plain platform threads, as
 * an application would use them.
 */
public final class WalBench implements Bench {

    /*
     * How it runs.
     *
     * 1. A new folder on the disk (its file system named, tmpfs warned about). Five contenders are
     *    opened there, each in its own folder: our KvStore (one put of a 100-byte value per
     *    transaction, group commit), our WriteAheadLog alone (append a 100-byte record, commit),
     *    SQLite, RocksDB and raw fdatasync. Each gets 8 sessions (SQLite: 8 connections) and 8
     *    threads write every key once: the stores start populated, the JIT warm.
     * 2. Rounds: for 1 writer, then 8, each contender in turn (in an order shuffled every round) runs
     *    its writer threads for a warm-up, then a measured window counted by snapshots at its ends
     *    (CommitRun). Each figure is the median over rounds; ratios are medians against medians.
     * 3. Recovery (RecoveryRun): a 1 GiB log (50 MB quick) of one-put transactions, left without a
     *    checkpoint, then KvStore.open timed on fresh copies, alternating with scans of the log
     *    alone; medians of the trials.
     *
     * KvStore has no background checkpointer, so no checkpoint runs during the rounds; SQLite's
     * automatic checkpoints (every 1000 WAL pages, run by the committing connection) and RocksDB's
     * background work do run during theirs: that is how each is used out of the box.
     */

    /** Writer counts measured, as the issue asks. */
    static final int[] WRITERS = {1, 8};

    /** The peers' labels in the rows. */
    static final String SQLITE = "SQLite";
    static final String ROCKSDB = "RocksDB";
    static final String FDATASYNC = "raw fdatasync";

    /** The targets. */
    static final double TARGET_VS_SQLITE_1 = 1.2;
    static final double TARGET_VS_ROCKSDB_8 = 2.0;
    static final double TARGET_PER_FSYNC_8 = 8;
    static final double TARGET_RECOVERY_GBPS = 1.0;

    /**
     * How long and how big.
     *
     * @param keys           the key space every contender cycles through
     * @param rounds         measured rounds (each runs every contender at every writer count)
     * @param warmupMillis   warm-up of each run, before its measured window
     * @param measureMillis  each run's measured window
     * @param recoveryBytes  the log written for the recovery case
     * @param recoveryTrials timed opens (and scans), after one untimed
     */
    record Settings(int keys, int rounds, long warmupMillis, long measureMillis, long recoveryBytes, int recoveryTrials) {

        /** How many timed runs the rounds make. */
        int runs() {
            return rounds * WRITERS.length * Contender.Kind.values().length;
        }
    }

    static final Settings QUICK = new Settings(4096, 4, 100, 300, 50_000_000L, 3);

    static final Settings FULL = new Settings(4096, 20, 200, 600, 1L << 30, 5);

    /**
     * Our store as every case opens it: 1024 pages of 4 KiB, all of them in the buffer pool (so no
     * eviction has to flush the log in the middle of a commit), full-page writes on, group commit,
     * 16 MiB segments. The 4096 keys of the workload average 4 entries (120 bytes each) per page.
     */
    static KvStore.Config storeConfig() {
        return KvStore.Config.defaults().withPages(1024).withBufferPages(1024);
    }

    @Override
    public String chapter() {
        return "wal";
    }

    @Override
    public String title() {
        return "durable commits/s (1 and 8 writers), commits per fsync and recovery GB/s: our KvStore and log vs SQLite, RocksDB and raw fdatasync";
    }

    @Override
    public BenchResult run(BenchContext context) throws Exception {
        Settings settings = context.quick() ? QUICK : FULL;
        PrintStream out = context.out();
        try (var lock = BenchLock.acquire(Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock"))) {
            Path dir = scratch(settings, out);
            Thread cleanup = Thread.ofPlatform().unstarted(() -> quietlyDelete(dir));
            Runtime.getRuntime().addShutdownHook(cleanup);  // an interrupted run leaves no gigabyte behind
            try {
                return run(settings, dir, context);
            } finally {
                quietlyDelete(dir);
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException e) {
                    // already shutting down: the hook runs anyway
                }
            }
        }
    }

    private BenchResult run(Settings settings, Path dir, BenchContext context) throws Exception {
        PrintStream out = context.out();
        Workload workload = Workload.of(settings.keys(), 42);
        Map<Contender.Kind, Contender> open = new EnumMap<>(Contender.Kind.class);
        List<CommitRun.Sample> samples = new ArrayList<>();
        int most = WRITERS[WRITERS.length - 1];
        try {
            out.printf(Locale.ROOT, "opening the contenders, %d keys, %d-byte values; each writes every key once (%d writers)%n",
                    workload.keys(), Workload.VALUE_BYTES, most);
            Map<Contender.Kind, Contender.Session[]> sessions = new EnumMap<>(Contender.Kind.class);
            Map<Contender.Kind, long[]> next = new EnumMap<>(Contender.Kind.class);
            for (Contender.Kind kind : Contender.Kind.values()) {
                Contender c = kind.open(Files.createDirectories(dir.resolve(kind.name().toLowerCase(Locale.ROOT))), most);
                open.put(kind, c);
                Contender.Session[] s = new Contender.Session[most];
                for (int i = 0; i < most; i++) {
                    s[i] = c.session(i);
                }
                sessions.put(kind, s);
                next.put(kind, new long[most]);
                long t0 = System.nanoTime();
                CommitRun.populate(c, s, workload, most);
                out.printf(Locale.ROOT, "  %s (%.1f s)%n", c.describe(), (System.nanoTime() - t0) / 1e9);
            }

            out.printf(Locale.ROOT, "rounds: %d, each runs every contender with %s writer(s), %d ms warm-up + %d ms measured,"
                            + " in a shuffled order%n", settings.rounds(), joined(WRITERS), settings.warmupMillis(), settings.measureMillis());
            try (var bar = context.progress().start("rounds", settings.runs())) {
                for (int r = 0; r < settings.rounds(); r++) {
                    for (int writers : WRITERS) {
                        List<CommitRun.Sample> round = new ArrayList<>();
                        for (Contender.Kind kind : order(r, writers)) {
                            round.add(CommitRun.run(open.get(kind), sessions.get(kind), next.get(kind), workload, writers,
                                    settings.warmupMillis(), settings.measureMillis()).inRound(r + 1));
                            bar.step();
                        }
                        round.sort(Comparator.comparing(CommitRun.Sample::kind));
                        samples.addAll(round);
                        out.println(roundLine(r + 1, settings.rounds(), writers, round));
                    }
                }
            }
        } finally {
            for (Contender c : open.values()) {
                c.close();
            }
        }
        for (Contender.Kind kind : Contender.Kind.values()) {
            deleteTree(dir.resolve(kind.name().toLowerCase(Locale.ROOT)));
        }
        out.print(samplesTable(samples).render());

        out.printf(Locale.ROOT, "recovery: a %s log of one-put transactions, then KvStore.open timed %d times (after one untimed),"
                + " alternating with scans of the log alone%n", bytes(settings.recoveryBytes()), settings.recoveryTrials());
        var recovery = RecoveryRun.run(dir.resolve("recovery"), storeConfig(), settings.recoveryBytes(), settings.recoveryTrials(), workload, out,
                context.progress());
        out.printf(Locale.ROOT, "  KvStore.open replayed %s (%,d transactions): redo %s GB/s, open with its end-of-recovery checkpoint"
                        + " %s s; log scan alone %s GB/s%s%n",
                bytes(recovery.logBytes()), recovery.transactions(), list(recovery.replayGbps()), list(recovery.openSeconds()),
                list(recovery.scanGbps()), recovery.linked() ? "" : " (hard links refused: the trials used full copies)");

        List<Row> rows = rows(samples, recovery);
        out.println("targets (" + (context.quick() ? "quick run: short rounds and a small log; the full run is what counts" : "full run") + "):");
        targets(rows, samples).forEach(l -> out.println("  " + l));
        out.println("measured on this kind of machine before the issue: RocksDB ~7.5k commits/s with 1 writer, ~20k with 8;"
                + " SQLite ~9.2k with either; PostgreSQL 15 ~8.4k and ~23.9k; preallocated fdatasync ~11.5k/s;"
                + " PostgreSQL replayed ~0.85 GB/s");
        String command = "./deepcuts bench wal" + (context.quick() ? " --quick" : "");
        return new BenchResult(chapter(), command, BenchResult.describeMachine(), rows);
    }

    /**
     * The contenders' order in round {@code round} at {@code writers}: shuffled from a seed, so that
     * over the rounds each runs in every position and after every other (a fixed rotation would
     * always put the same contender right after the same one, and whatever one leaves behind, such
     * as dirty pages the kernel writes back, would always fall on the same next one).
     */
    static List<Contender.Kind> order(int round, int writers) {
        List<Contender.Kind> order = new ArrayList<>(List.of(Contender.Kind.values()));
        java.util.Collections.shuffle(order, new java.util.Random(1000L * round + writers));
        return order;
    }

    // ---------------------------------------------------------------------------------------------
    // rows and targets

    static String commitsCase(int writers, Contender.Kind ours) {
        String who = ours == Contender.Kind.KV_STORE ? "KvStore, one put of 100 B per transaction"
                : "our WriteAheadLog alone, append 100 B + commit";
        return "durable commits/s, " + writers + (writers == 1 ? " writer" : " writers") + ": " + who;
    }

    static String perFsyncCase(int writers) {
        return "commits per fsync, " + writers + " writers: KvStore";
    }

    static String recoveryCase(long logBytes) {
        return "crash recovery, KvStore.open redo of a " + bytes(logBytes) + " log, warm page cache";
    }

    static String scanCase(long logBytes) {
        return "log scan alone, WriteAheadLog.read of the same " + bytes(logBytes);
    }

    /**
     * The rows: durable commits/s for each writer count, first KvStore, then the log alone, each
     * beside SQLite, RocksDB and raw fdatasync (the same peer figures in both); KvStore's commits per
     * fsync at the most writers, beside RocksDB's WAL syncs; recovery and the scan alone. Medians of
     * the samples; a contender without samples is left out.
     */
    static List<Row> rows(List<CommitRun.Sample> samples, RecoveryRun.Figures recovery) {
        List<Row> rows = new ArrayList<>();
        for (Contender.Kind ours : List.of(Contender.Kind.KV_STORE, Contender.Kind.LOG)) {
            for (int writers : WRITERS) {
                Optional<Double> mine = median(samples, ours, writers, CommitRun.Sample::perSecond);
                if (mine.isEmpty()) {
                    continue;
                }
                Map<String, Double> peers = new LinkedHashMap<>();
                median(samples, Contender.Kind.SQLITE, writers, CommitRun.Sample::perSecond).ifPresent(v -> peers.put(SQLITE, v));
                median(samples, Contender.Kind.ROCKSDB, writers, CommitRun.Sample::perSecond).ifPresent(v -> peers.put(ROCKSDB, v));
                median(samples, Contender.Kind.FDATASYNC, writers, CommitRun.Sample::perSecond).ifPresent(v -> peers.put(FDATASYNC, v));
                rows.add(new Row(commitsCase(writers, ours), "commits/s", Better.HIGHER, mine.get(), peers));
            }
        }
        int most = WRITERS[WRITERS.length - 1];
        median(samples, Contender.Kind.KV_STORE, most, CommitRun.Sample::perSync).ifPresent(v -> {
            Map<String, Double> peers = new LinkedHashMap<>();
            median(samples, Contender.Kind.ROCKSDB, most, CommitRun.Sample::perSync).ifPresent(p -> peers.put(ROCKSDB, p));
            rows.add(new Row(perFsyncCase(most), "commits/fsync", Better.HIGHER, v, peers));
        });
        if (recovery != null && !recovery.replayGbps().isEmpty()) {
            rows.add(new Row(recoveryCase(recovery.logBytes()), "GB/s", Better.HIGHER, median(recovery.replayGbps()), Map.of()));
            rows.add(new Row(scanCase(recovery.logBytes()), "GB/s", Better.HIGHER, median(recovery.scanGbps()), Map.of()));
        }
        return rows;
    }

    /**
     * The targets, each with our figure and whether it is met; a target without its row is
     * left out. A ratio is judged as the table shows it, median against median; the median of the
     * round-by-round ratios (each pair measured seconds apart) follows it, as a check on the disk's
     * drift.
     */
    static List<String> targets(List<Row> rows, List<CommitRun.Sample> samples) {
        List<String> lines = new ArrayList<>();
        int most = WRITERS[WRITERS.length - 1];
        find(rows, commitsCase(1, Contender.Kind.KV_STORE)).ifPresent(r -> {
            double a = r.advantageOver(SQLITE);
            if (!Double.isNaN(a)) {
                lines.add(target("1 writer, KvStore vs SQLite", String.format(Locale.ROOT, "%.2fx", a), ">= 1.2x", a >= TARGET_VS_SQLITE_1)
                        + paired(samples, Contender.Kind.SQLITE, 1));
            }
        });
        find(rows, commitsCase(most, Contender.Kind.KV_STORE)).ifPresent(r -> {
            double a = r.advantageOver(ROCKSDB);
            if (!Double.isNaN(a)) {
                lines.add(target(most + " writers, KvStore vs RocksDB", String.format(Locale.ROOT, "%.2fx", a), ">= 2x", a >= TARGET_VS_ROCKSDB_8)
                        + paired(samples, Contender.Kind.ROCKSDB, most));
            }
        });
        find(rows, perFsyncCase(WRITERS[WRITERS.length - 1])).ifPresent(r ->
                lines.add(target("8 writers, commits per fsync", String.format(Locale.ROOT, "%.1f", r.ours()), ">= 8", r.ours() >= TARGET_PER_FSYNC_8)));
        rows.stream().filter(r -> r.name().startsWith("crash recovery")).findFirst().ifPresent(r ->
                lines.add(target("recovery (redo)", String.format(Locale.ROOT, "%.2f GB/s", r.ours()), ">= 1 GB/s",
                        r.ours() >= TARGET_RECOVERY_GBPS)));
        return lines;
    }

    /** " (round by round: median 1.05x of 7)", or "" without pairs. */
    private static String paired(List<CommitRun.Sample> samples, Contender.Kind peer, int writers) {
        List<Double> ratios = pairedRatios(samples, Contender.Kind.KV_STORE, peer, writers);
        return ratios.isEmpty() ? "" : String.format(Locale.ROOT, " (round by round: median %.2fx of %d)", median(ratios), ratios.size());
    }

    /** Ours over the peer's commits/s, round by round, for the rounds that measured both. */
    static List<Double> pairedRatios(List<CommitRun.Sample> samples, Contender.Kind ours, Contender.Kind peer, int writers) {
        Map<Integer, Double> mine = new LinkedHashMap<>();
        for (CommitRun.Sample s : samples) {
            if (s.kind() == ours && s.writers() == writers) {
                mine.put(s.round(), s.perSecond());
            }
        }
        List<Double> ratios = new ArrayList<>();
        for (CommitRun.Sample s : samples) {
            if (s.kind() == peer && s.writers() == writers && mine.containsKey(s.round()) && s.perSecond() > 0) {
                ratios.add(mine.get(s.round()) / s.perSecond());
            }
        }
        return ratios;
    }

    private static String target(String what, String ours, String target, boolean met) {
        return String.format(Locale.ROOT, "%-32s %12s  target %-9s %s", what, ours, target, met ? "met" : "MISSED");
    }

    private static Optional<Row> find(List<Row> rows, String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** The median of {@code figure} over the samples of {@code kind} at {@code writers}; empty if none (or none counted syncs). */
    static Optional<Double> median(List<CommitRun.Sample> samples, Contender.Kind kind, int writers,
                                 java.util.function.ToDoubleFunction<CommitRun.Sample> figure) {
        List<Double> xs = new ArrayList<>();
        for (CommitRun.Sample s : samples) {
            if (s.kind() == kind && s.writers() == writers) {
                double v = figure.applyAsDouble(s);
                if (!Double.isNaN(v)) {
                    xs.add(v);
                }
            }
        }
        return xs.isEmpty() ? Optional.empty() : Optional.of(median(xs));
    }

    static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("the median of nothing");
        }
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    // ---------------------------------------------------------------------------------------------
    // reporting

    /** "  round 2/5, 8 writers: KvStore 21,345/s (9.8 per sync), ..." */
    static String roundLine(int round, int rounds, int writers, List<CommitRun.Sample> samples) {
        StringJoiner j = new StringJoiner(", ", String.format(Locale.ROOT, "  round %d/%d, %d writer%s: ", round, rounds, writers,
                writers == 1 ? "" : "s"), "");
        for (CommitRun.Sample s : samples) {
            j.add(String.format(Locale.ROOT, "%s %,.0f/s%s", s.kind().label, s.perSecond(),
                    Double.isNaN(s.perSync()) || s.kind() == Contender.Kind.FDATASYNC ? ""
                            : String.format(Locale.ROOT, " (%.1f per sync)", s.perSync())));
        }
        return j.toString();
    }

    /** Every contender and writer count: median, lowest and highest round, commits per sync, slowest commit. */
    static Table samplesTable(List<CommitRun.Sample> samples) {
        Table t = Table.of("durable commits per second, over the rounds", "contender", "writers", "median/s", "min/s", "max/s",
                "commits per sync", "slowest commit (ms)");
        for (Contender.Kind kind : Contender.Kind.values()) {
            for (int writers : WRITERS) {
                List<CommitRun.Sample> mine = samples.stream().filter(s -> s.kind() == kind && s.writers() == writers).toList();
                if (mine.isEmpty()) {
                    continue;
                }
                List<Double> rates = mine.stream().map(CommitRun.Sample::perSecond).toList();
                var perSync = median(samples, kind, writers, CommitRun.Sample::perSync);
                t.row(kind.label + (kind.ours ? " (ours)" : ""), writers, String.format(Locale.ROOT, "%,.0f", median(rates)),
                        String.format(Locale.ROOT, "%,.0f", rates.stream().mapToDouble(Double::doubleValue).min().orElseThrow()),
                        String.format(Locale.ROOT, "%,.0f", rates.stream().mapToDouble(Double::doubleValue).max().orElseThrow()),
                        perSync.map(v -> String.format(Locale.ROOT, "%.2f", v)).orElse("-"),
                        String.format(Locale.ROOT, "%.1f", mine.stream().mapToDouble(CommitRun.Sample::maxLatencyMs).max().orElseThrow()));
            }
        }
        return t;
    }

    private static String joined(int[] xs) {
        StringJoiner j = new StringJoiner(" and ");
        for (int x : xs) {
            j.add(Integer.toString(x));
        }
        return j.toString();
    }

    private static String list(List<Double> xs) {
        StringJoiner j = new StringJoiner(" ", "median " + String.format(Locale.ROOT, "%.2f", median(xs)) + " of [", "]");
        for (double x : xs) {
            j.add(String.format(Locale.ROOT, "%.2f", x));
        }
        return j.toString();
    }

    /** 1073741824 as "1 GiB", 50000000 as "50 MB", 47.7 MiB as "47.7 MiB". */
    static String bytes(long n) {
        if (n >= 1L << 30 && n % (1L << 30) == 0) {
            return n / (1L << 30) + " GiB";
        }
        if (n >= 1_000_000 && n % 1_000_000 == 0) {
            return n / 1_000_000 + " MB";
        }
        if (n >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", n / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1 << 20));
    }

    // ---------------------------------------------------------------------------------------------
    // the folder and the lock

    /** The environment variable, and the system property, naming where the bench's folder goes. */
    static final String DIR_ENV = "DEEPCUTS_BENCH_DIR";
    static final String DIR_PROPERTY = "deepcuts.bench.dir";

    /** A new folder for the stores, on the configured disk, checked for its file system and free space. */
    static Path scratch(Settings settings, PrintStream out) throws IOException {
        String configured = System.getProperty(DIR_PROPERTY, System.getenv(DIR_ENV));
        Path base = configured == null || configured.isBlank() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(configured);
        Files.createDirectories(base);
        Path dir = Files.createTempDirectory(base.toAbsolutePath(), "deepcuts-bench-wal-");
        FileStore store = Files.getFileStore(dir);
        long need = settings.recoveryBytes() * 2 + (256L << 20);   // the log, its preallocated segments, the rounds' logs
        if (store.getUsableSpace() < need) {
            deleteTree(dir);
            throw new UsageException("the bench needs about " + bytes(need) + " free under " + base + ", which has "
                    + bytes(store.getUsableSpace()) + "; set " + DIR_ENV + " to a folder on a disk with more room");
        }
        out.printf(Locale.ROOT, "data under %s (%s on %s, %s free)%n", dir, store.type(), store.name(), bytes(store.getUsableSpace()));
        if (inMemory(store.type())) {
            out.printf(Locale.ROOT, "WARNING: %s is %s, a file system in memory where fsync costs nothing: these numbers say nothing"
                    + " about a disk; set %s to a folder on the disk to measure%n", base, store.type(), DIR_ENV);
        }
        return dir;
    }

    static boolean inMemory(String fileSystemType) {
        return fileSystemType.equals("tmpfs") || fileSystemType.equals("ramfs");
    }

    /**
     * The machine's benchmark lock: the file {@code jmh.lock} in {@code java.io.tmpdir}, which JMH
     * locks for its runs; two benchmarks at once would measure each other.
     */
    static final class BenchLock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private BenchLock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        /** Takes the lock in {@code file}, or fails with a usage error naming it when another process (or this one) holds it. */
        static BenchLock acquire(Path file) throws IOException {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new UsageException("another benchmark run is in progress on this machine (it holds " + file
                        + "); wait for it to finish and run the bench again");
            }
            return new BenchLock(channel, lock);
        }

        @Override
        public void close() throws IOException {
            lock.release();
            channel.close();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void quietlyDelete(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException | RuntimeException e) {
            System.err.println("bench wal: could not delete " + dir + ": " + e.getMessage());
        }
    }
}
