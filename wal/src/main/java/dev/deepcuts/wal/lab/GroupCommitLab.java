package dev.deepcuts.wal.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.HdrHistogram.Histogram;

import dev.deepcuts.core.Chart;
import dev.deepcuts.core.Lab;
import dev.deepcuts.core.LabContext;
import dev.deepcuts.core.LabResult;
import dev.deepcuts.core.Param;
import dev.deepcuts.core.Table;
import dev.deepcuts.core.UsageException;
import dev.deepcuts.wal.Durability;
import dev.deepcuts.wal.FileStorage;
import dev.deepcuts.wal.WalConfig;
import dev.deepcuts.wal.WriteAheadLog;

/**
 * Writer threads commit 100-byte records as fast as they can to a log on this machine's disk, in
 * each durability mode: durable commits per second, commit latency (p50, p99) and commits per
 * fsync, against the number of writers. Group commit should turn more writers into more commits per
 * fsync rather than a longer queue.
 */
public final class GroupCommitLab implements Lab {

    @Override
    public String chapter() {
        return "wal";
    }

    @Override
    public String id() {
        return "group-commit";
    }

    @Override
    public String title() {
        return "durable commits/s and latency against writer threads, per durability mode, on this disk";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.ofIntList("writers", List.of(1, 2, 4, 8, 16, 32, 64), List.of(1, 4, 16), "writer threads, one run per value"),
                Param.ofDouble("seconds", 2.0, 0.3, "measured time per run (after a warm-up of a quarter of it)"),
                Param.ofInt("payload", 100, 100, "bytes per record"),
                Param.ofLong("asyncMillis", 10, 10, "flush interval of the async mode (ms)"),
                Param.ofString("dir", "", "", "folder for the logs, on the disk to measure (default: a new temporary folder)"));
    }

    record Point(Durability mode, int writers, long commits, double seconds, long flushes, Histogram latency) {
        double perSecond() {
            return commits / seconds;
        }

        double perFsync() {
            return flushes == 0 ? 0 : (double) commits / flushes;
        }
    }

    @Override
    public LabResult run(LabContext ctx) throws IOException {
        List<Integer> writers = ctx.intListParam("writers");
        double seconds = ctx.doubleParam("seconds");
        int payload = ctx.intParam("payload");
        long asyncMillis = ctx.longParam("asyncMillis");
        for (int w : writers) {
            if (w < 1 || w > 1024) {
                throw new UsageException("writers must be in [1, 1024], got " + w);
            }
        }
        if (seconds <= 0 || payload < 0 || asyncMillis < 1) {
            throw new UsageException("need seconds > 0, payload >= 0, asyncMillis >= 1");
        }
        Path base = ctx.stringParam("dir").isEmpty() ? ctx.workDir()
                : java.nio.file.Files.createTempDirectory(java.nio.file.Files.createDirectories(Path.of(ctx.stringParam("dir"))), "group-commit-");
        String fs = java.nio.file.Files.getFileStore(base).type();
        if (fs.equals("tmpfs") || fs.equals("ramfs")) {
            ctx.log("warning: %s is on %s, where fsync costs nothing: these numbers say nothing about a disk (use --param dir=...)", base, fs);
        }
        Durability[] modes = Durability.values();
        List<Point> points = new ArrayList<>();
        int run = 0;
        try (var progress = ctx.progress("runs", (long) modes.length * writers.size())) {
            for (int w : writers) {
                for (Durability mode : modes) {          // modes interleaved at each writer count: same disk weather
                    WalConfig config = WalConfig.defaults().withDurability(mode).withAsyncIntervalMillis(asyncMillis);
                    Path runDir = base.resolve("run-" + run++);
                    points.add(measure(runDir, config, w, seconds, payload));
                    deleteTree(runDir);                  // async runs write gigabytes
                    progress.step();
                }
            }
        } finally {
            deleteTree(base);
        }
        var table = Table.of("Durable commits of " + payload + "-byte records, log on " + fs + " (" + base.getParent() + ")",
                "mode", "writers", "commits/s", "p50 latency (µs)", "p99 latency (µs)", "commits per fsync");
        var b = LabResult.builder();
        var chart = Chart.line("wal-group-commit", "Commits per second against writer threads")
                .xLabel("writer threads").yLabel("durable commits per second").logX().logY();
        for (Durability mode : modes) {
            List<Point> ps = points.stream().filter(p -> p.mode() == mode).toList();
            double[] x = new double[ps.size()];
            double[] y = new double[ps.size()];
            for (int i = 0; i < ps.size(); i++) {
                Point p = ps.get(i);
                x[i] = p.writers();
                y[i] = p.perSecond();
                table.row(mode.name().toLowerCase(Locale.ROOT), p.writers(), String.format(Locale.ROOT, "%.0f", p.perSecond()),
                        p.latency().getValueAtPercentile(50) / 1000, p.latency().getValueAtPercentile(99) / 1000,
                        mode == Durability.ASYNC ? "-" : String.format(Locale.ROOT, "%.1f", p.perFsync()));
                String key = mode.name().toLowerCase(Locale.ROOT) + "_" + p.writers();
                b.metric(key + "_commits_per_s", p.perSecond(), "commits/s");
                b.metric(key + "_p99_us", p.latency().getValueAtPercentile(99) / 1000.0, "µs");
                if (mode != Durability.ASYNC) {
                    b.metric(key + "_commits_per_fsync", p.perFsync(), "commits");
                }
            }
            chart.series(mode == Durability.ASYNC ? "async (not durable at return)" : mode.name().toLowerCase(Locale.ROOT).replace('_', ' '), x, y);
        }
        b.table(table);
        b.chart(chart);

        int most = writers.stream().mapToInt(Integer::intValue).max().orElseThrow();
        int least = writers.stream().mapToInt(Integer::intValue).min().orElseThrow();
        Point groupMost = find(points, Durability.GROUP, most);
        Point syncMost = find(points, Durability.SYNC_EACH, most);
        Point groupLeast = find(points, Durability.GROUP, least);
        if (most >= 8) {
            b.claim(String.format(Locale.ROOT, "with %d writers group commit makes at least 4 commits per fsync (%.1f)", most, groupMost.perFsync()),
                    groupMost.perFsync() >= 4);
            b.claim(String.format(Locale.ROOT, "with %d writers group commit commits at least twice as fast as one fsync per commit (%.0f vs %.0f/s)",
                    most, groupMost.perSecond(), syncMost.perSecond()), groupMost.perSecond() >= 2 * syncMost.perSecond());
        }
        b.claim(String.format(Locale.ROOT, "sync-each shares far fewer fsyncs than group commit: %.2f commits per fsync at %d writers "
                + "against %.1f (it rides along only with records appended just before another commit's flush)",
                syncMost.perFsync(), most, groupMost.perFsync()), syncMost.perFsync() <= 1.5 && syncMost.perFsync() < groupMost.perFsync());
        return b.verdict(String.format(Locale.ROOT, "group commit: %.0f commits/s with %d writer(s), %.0f with %d (%.1f per fsync); sync-each %.0f with %d",
                groupLeast.perSecond(), least, groupMost.perSecond(), most, groupMost.perFsync(), syncMost.perSecond(), most)).build();
    }

    private static Point find(List<Point> points, Durability mode, int writers) {
        return points.stream().filter(p -> p.mode() == mode && p.writers() == writers).findFirst().orElseThrow();
    }

    // region measure
    private static Point measure(Path dir, WalConfig config, int writers, double seconds, int payloadBytes) throws IOException {
        byte[] payload = new byte[payloadBytes];
        try (WriteAheadLog log = WriteAheadLog.open(new FileStorage(dir), config, 0, (l, t, d, o, n) -> { })) {
            AtomicBoolean measuring = new AtomicBoolean(false);
            AtomicBoolean stop = new AtomicBoolean(false);
            AtomicReference<Throwable> error = new AtomicReference<>();
            List<Histogram> latencies = new ArrayList<>();
            long[] commits = new long[writers];
            CountDownLatch done = new CountDownLatch(writers);
            for (int w = 0; w < writers; w++) {
                Histogram h = new Histogram(3_600_000_000_000L, 3);
                latencies.add(h);
                int me = w;
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        while (!stop.get()) {
                            long t0 = System.nanoTime();
                            log.commit(log.append(1, payload));      // durable when this returns (but in async)
                            if (measuring.get()) {
                                h.recordValue(System.nanoTime() - t0);
                                commits[me]++;
                            }
                        }
                    } catch (Throwable e) {
                        error.set(e);
                    } finally {
                        done.countDown();
                    }
                });
            }
            sleep(seconds / 4);                                      // warm-up: JIT, segment preallocation
            long flushes0 = log.flushes();
            long t0 = System.nanoTime();
            measuring.set(true);
            sleep(seconds);
            measuring.set(false);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            long flushes = log.flushes() - flushes0;
            stop.set(true);
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (error.get() != null) {
                throw new IOException("a writer failed: " + error.get(), error.get());
            }
            Histogram all = new Histogram(3_600_000_000_000L, 3);
            latencies.forEach(all::add);
            long total = 0;
            for (long c : commits) {
                total += c;
            }
            return new Point(config.durability(), writers, total, elapsed, flushes, all);
        }
    }
    // endregion measure

    private static void deleteTree(Path dir) throws IOException {
        try (var files = java.nio.file.Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        }
    }

    private static void sleep(double seconds) {
        try {
            Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
