package dev.deepcuts.bench.wal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.deepcuts.core.Progress;
import dev.deepcuts.wal.Durability;
import dev.deepcuts.wal.FileStorage;
import dev.deepcuts.wal.KvStore;
import dev.deepcuts.wal.WriteAheadLog;

/**
 * Crash recovery from a warm page cache: a store writes a large log of one-put transactions (100-byte
 * values), stops without a checkpoint, and is opened again; we time the replay.
 *
 * <p>What is timed, exactly. The log is written by one thread in {@link Durability#ASYNC} mode (the
 * fill's own durability does not matter, only its bytes; every record is synced before the timing
 * starts). Then the log is closed but the store is not: {@code KvStore.close} would checkpoint, and
 * the next open would have nothing to replay. That is the state a crash right after the last
 * commit leaves: the control file's redo point is where the store was created, so opening replays
 * the whole log. {@link KvStore#open} is then timed on a fresh copy of that folder; the figure is
 * the log's bytes ({@code recovery().log().bytes()}) over the store's own recovery time
 * ({@code recovery().nanos()}: opening the log, scanning and checking every record, redo onto the
 * pages), which leaves out the end-of-recovery checkpoint that follows (its wall time is printed
 * beside). Every trial checks that all transactions were replayed and every key holds its last
 * value. The log scan alone ({@link WriteAheadLog#read}, reading and checking every record, no
 * redo) is timed on the same files, alternating with the opens.
 *
 * <p>Why copies, and why cheap ones. Recovery ends with a checkpoint that recycles the replayed
 * segments, so each open needs its own copy of the crashed folder. Segments are hard links to the
 * crashed folder's (the page cache stays warm, nothing is rewritten); only the last two segments,
 * which the reopened log appends to, and the small data and control files are real copies, and the
 * reopened log keeps no spare segments, so it deletes the links rather than recycling (writing
 * into) them. Where hard links are not possible, every file is copied.
 */
final class RecoveryRun {

    /**
     * What was measured.
     *
     * @param logBytes     bytes of log each open replayed
     * @param transactions transactions in the log
     * @param replayGbps   each timed open's replay rate, GB/s (10^9 bytes)
     * @param openSeconds  each timed open's wall time, end-of-recovery checkpoint included
     * @param scanGbps     each timed log scan's rate, GB/s
     * @param linked       whether the copies were hard links (else full copies)
     */
    record Figures(long logBytes, long transactions, List<Double> replayGbps, List<Double> openSeconds, List<Double> scanGbps,
                   boolean linked) {}

    private RecoveryRun() {
    }

    /**
     * Writes a log of about {@code targetBytes} in {@code dir} with a store of {@code config}, then
     * opens (and scans) it {@code trials} times after one untimed round.
     */
    static Figures run(Path dir, KvStore.Config config, long targetBytes, int trials, Workload workload, PrintStream out,
                       Progress.Factory progress) throws IOException {
        Path crashed = Files.createDirectories(dir.resolve("crashed"));
        long t0 = System.nanoTime();
        long transactions = fill(crashed, config, targetBytes, workload, progress);
        out.printf(Locale.ROOT, "  wrote %,d transactions, %s of log, in %.1f s; the store was left without a checkpoint (as by a crash)%n",
                transactions, WalBench.bytes(logEnd(crashed, config)), (System.nanoTime() - t0) / 1e9);

        // the reopened store keeps no spare segments: it must never write into a hard-linked one
        KvStore.Config reopen = config.withWal(config.wal().withSpareSegments(0));
        int segmentSize = config.wal().segmentSize();
        boolean linked = true;
        List<Double> replay = new ArrayList<>();
        List<Double> open = new ArrayList<>();
        List<Double> scan = new ArrayList<>();
        long logBytes = 0;
        try (var bar = progress.start("recovery trials", trials + 1L)) {
            for (int t = 0; t <= trials; t++) {                  // trial 0 warms the JIT and the page cache, untimed
                double scanned = scan(crashed, segmentSize);
                Path copy = dir.resolve("trial-" + t);
                linked &= copyCrashed(crashed, copy);
                long start = System.nanoTime();
                KvStore store = KvStore.open(new FileStorage(copy), reopen);
                double wall = (System.nanoTime() - start) / 1e9;
                try {
                    var report = store.recovery();
                    check(report, store, transactions, workload);
                    logBytes = report.log().bytes();
                    if (t > 0) {
                        scan.add(scanned);
                        replay.add(report.log().bytes() / (double) report.nanos());
                        open.add(wall);
                    }
                } finally {
                    store.close();
                }
                WalBench.deleteTree(copy);
                bar.step();
            }
        }
        return new Figures(logBytes, transactions, replay, open, scan, linked);
    }

    /** Writes one-put transactions until the log holds {@code targetBytes}; returns how many. */
    static long fill(Path dir, KvStore.Config config, long targetBytes, Workload workload, Progress.Factory progress)
            throws IOException {
        KvStore store = KvStore.open(new FileStorage(dir), config.withWal(config.wal().withDurability(Durability.ASYNC)));
        long n = 0;
        byte[] value = new byte[Workload.VALUE_BYTES];
        try (var bar = progress.start("writing the log", targetBytes)) {
            long shown = 0;
            while (true) {
                if ((n & 0xffff) == 0) {
                    long end = store.log().endLsn();
                    store.log().flush();             // async mode has no back-pressure: keep its buffer bounded
                    bar.step(end - shown);
                    shown = end;
                    if (end >= targetBytes) {
                        break;
                    }
                }
                workload.value(n, value);
                store.begin().put(workload.key((int) (n % workload.keys())), value).commit();
                n++;
            }
        }
        store.log().close();                         // flushes and syncs the log; the store itself is left as a crash leaves it
        return n;
    }

    /** The log's end LSN, read without changing anything. */
    private static long logEnd(Path dir, KvStore.Config config) throws IOException {
        return WriteAheadLog.read(new FileStorage(dir), config.wal().segmentSize(), 0, (lsn, type, data, offset, length) -> { });
    }

    /** Reads and checks every record of the log in {@code dir}; returns GB/s. */
    static double scan(Path dir, int segmentSize) throws IOException {
        long[] sum = {0};
        long t0 = System.nanoTime();
        long end = WriteAheadLog.read(new FileStorage(dir), segmentSize, 0, (lsn, type, data, offset, length) -> sum[0] += length);
        long nanos = System.nanoTime() - t0;
        if (sum[0] == 0) {
            throw new IllegalStateException("the log in " + dir + " has no records");
        }
        return end / (double) nanos;
    }

    /** Every transaction replayed, every key at its last value: else the timing measured something else. */
    private static void check(KvStore.RecoveryReport report, KvStore store, long transactions, Workload workload) throws IOException {
        if (report.committed() != transactions) {
            throw new IllegalStateException("recovery replayed " + report.committed() + " transactions, expected " + transactions
                    + " (" + report + ")");
        }
        int keys = workload.keys();
        for (int k = 0; k < keys && k < transactions; k++) {
            long last = k + (transactions - 1 - k) / keys * keys;     // the last transaction that wrote key k
            byte[] v = store.get(workload.key(k));
            if (!Arrays.equals(v, workload.value(last))) {
                throw new IllegalStateException("after recovery key " + k + " does not hold the value of its last transaction " + last);
            }
        }
    }

    /**
     * Copies the crashed folder {@code from} to {@code to}: segments as hard links but the last two,
     * everything else as real copies. False if hard links were refused (then all files were copied).
     */
    static boolean copyCrashed(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        List<Path> files;
        try (var s = Files.list(from)) {
            files = s.sorted().toList();
        }
        long last = -1;
        for (Path f : files) {
            last = Math.max(last, segmentOf(f.getFileName().toString()));
        }
        boolean linked = true;
        for (Path f : files) {
            String name = f.getFileName().toString();
            long seg = segmentOf(name);
            Path target = to.resolve(name);
            if (seg >= 0 && seg < last - 1 && linked) {
                try {
                    Files.createLink(target, f);
                    continue;
                } catch (UnsupportedOperationException | FileSystemException e) {
                    linked = false;
                }
            }
            Files.copy(f, target);
        }
        return linked;
    }

    /** The number of a segment file ({@code 16 hex digits}.wal, the log's naming), or -1. */
    static long segmentOf(String name) {
        if (name.length() != 20 || !name.endsWith(".wal")) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(name.substring(0, 16), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
