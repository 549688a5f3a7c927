package dev.deepcuts.wal.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import dev.deepcuts.core.Chart;
import dev.deepcuts.core.Lab;
import dev.deepcuts.core.LabContext;
import dev.deepcuts.core.LabResult;
import dev.deepcuts.core.Param;
import dev.deepcuts.core.Table;
import dev.deepcuts.core.UsageException;
import dev.deepcuts.wal.FileStorage;
import dev.deepcuts.wal.KvStore;
import dev.deepcuts.wal.WalConfig;

/**
 * How long recovery takes: the store is killed (files closed with no checkpoint) after writing a
 * given volume of log since its last checkpoint, then reopened, and the replay is timed. Then the
 * same workload with checkpoints every so often: the interval bounds what recovery must replay.
 */
public final class RecoveryLab implements Lab {

    @Override
    public String chapter() {
        return "wal";
    }

    @Override
    public String id() {
        return "recovery";
    }

    @Override
    public String title() {
        return "recovery time against log volume since the checkpoint, and against the checkpoint interval";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.ofIntList("megabytes", List.of(16, 32, 64, 128), List.of(1, 2, 4), "log volume since the last checkpoint, one run each (MB)"),
                Param.ofIntList("intervals", List.of(64, 32, 16, 8, 4), List.of(2, 1), "checkpoint every so many MB of log, one run each, same workload as the largest volume"),
                Param.ofInt("valueBytes", 100, 100, "bytes per value; one put per transaction"),
                Param.ofInt("keys", 20_000, 20_000, "distinct keys written round-robin"));
    }

    static KvStore.Config config() {
        return KvStore.Config.defaults().withPages(2048).withBufferPages(4096).withWal(WalConfig.defaults().withSegmentSize(16 << 20));
    }

    /** One measured recovery. */
    record Replay(double megabytes, double seconds, long records) {
        double mbPerSecond() {
            return megabytes / seconds;
        }
    }

    @Override
    public LabResult run(LabContext ctx) throws IOException {
        List<Integer> volumes = ctx.intListParam("megabytes");
        List<Integer> intervals = ctx.intListParam("intervals");
        int valueBytes = ctx.intParam("valueBytes");
        int keys = ctx.intParam("keys");
        for (int v : volumes) {
            if (v < 1) {
                throw new UsageException("megabytes must be positive, got " + v);
            }
        }
        for (int i : intervals) {
            if (i < 1) {
                throw new UsageException("intervals must be positive, got " + i);
            }
        }
        if (valueBytes < 1 || valueBytes > 1024 || keys < 1) {
            throw new UsageException("valueBytes must be in [1, 1024] and keys positive");
        }
        var b = LabResult.builder();
        var byVolume = Table.of("Killed with this much log since the checkpoint, then reopened", "log since checkpoint (MB)",
                "records replayed", "replay (ms)", "replayed (MB/s)");
        double[] x = new double[volumes.size()];
        double[] y = new double[volumes.size()];
        Replay smallest = null;
        Replay largest = null;
        try (var progress = ctx.progress("recoveries", volumes.size() + intervals.size())) {
            // a throwaway recovery first: the first replay in a fresh JVM runs interpreted and would
            // make the smallest log look slow
            measure(ctx.workDir(), Math.min(8, volumes.get(0)), Integer.MAX_VALUE, valueBytes, keys);
            for (int i = 0; i < volumes.size(); i++) {
                Replay r = measure(ctx.workDir(), volumes.get(i), Integer.MAX_VALUE, valueBytes, keys);
                x[i] = r.megabytes();
                y[i] = r.seconds() * 1000;
                byVolume.row(String.format(Locale.ROOT, "%.1f", r.megabytes()), r.records(), String.format(Locale.ROOT, "%.0f", y[i]),
                        String.format(Locale.ROOT, "%.0f", r.mbPerSecond()));
                smallest = smallest == null || r.megabytes() < smallest.megabytes() ? r : smallest;
                largest = largest == null || r.megabytes() > largest.megabytes() ? r : largest;
                progress.step();
            }
            b.table(byVolume);
            int total = volumes.stream().mapToInt(Integer::intValue).max().orElseThrow();
            var byInterval = Table.of(total + " MB of log written, checkpoints every so often, then killed and reopened",
                    "checkpoint interval (MB)", "log replayed (MB)", "replay (ms)");
            double[] ix = new double[intervals.size()];
            double[] iy = new double[intervals.size()];
            boolean bounded = true;
            for (int i = 0; i < intervals.size(); i++) {
                int interval = intervals.get(i);
                Replay r = measure(ctx.workDir(), total, interval, valueBytes, keys);
                ix[i] = interval;
                iy[i] = r.seconds() * 1000;
                byInterval.row(interval, String.format(Locale.ROOT, "%.1f", r.megabytes()), String.format(Locale.ROOT, "%.0f", iy[i]));
                bounded &= r.megabytes() <= interval + 1.0;
                progress.step();
            }
            b.table(byInterval);
            var chart = Chart.line("wal-recovery", "Recovery time against log to replay").xLabel("MB of log since the last checkpoint")
                    .yLabel("recovery time (ms)");
            chart.series("killed after this much log", x, y);
            chart.series("checkpoint every x MB (then killed)", ix, iy);
            b.chart(chart);
            b.claim("the checkpoint interval bounds the log recovery replays (never more than the interval plus 1 MB)", bounded);
        }
        b.metric("largest_mb", largest.megabytes(), "MB");
        b.metric("largest_ms", largest.seconds() * 1000, "ms");
        b.metric("mb_per_s", largest.mbPerSecond(), "MB/s");
        double volumeRatio = largest.megabytes() / smallest.megabytes();
        double timeRatio = largest.seconds() / smallest.seconds();
        if (volumeRatio >= 4 && largest.megabytes() >= 16) {          // smaller logs: fixed costs and noise dominate
            b.claim(String.format(Locale.ROOT, "recovery time grows with the log to replay: %.0f× the log took %.1f× the time",
                    volumeRatio, timeRatio), timeRatio >= volumeRatio / 4);
        }
        return b.verdict(String.format(Locale.ROOT, "%.0f MB of log replayed in %.0f ms (%.0f MB/s)", largest.megabytes(),
                largest.seconds() * 1000, largest.mbPerSecond())).build();
    }

    // region recovery-measure
    private static Replay measure(Path dir, int megabytes, int checkpointEveryMb, int valueBytes, int keys) throws IOException {
        byte[] value = new byte[valueBytes];
        // writing is not what is measured: async commits fill the log fast, one flush makes it all durable
        KvStore.Config writing = config().withWal(config().wal().withDurability(dev.deepcuts.wal.Durability.ASYNC));
        KvStore store = KvStore.open(new FileStorage(dir), writing);
        long bytes = (long) megabytes << 20;
        long start = store.log().endLsn();
        long lastCheckpoint = start;
        for (long n = 0; store.log().endLsn() - start < bytes; n++) {
            value[0] = (byte) n;
            store.begin().put(("key" + (n % keys)).getBytes(), value).commit();
            if (store.log().endLsn() - lastCheckpoint >= ((long) checkpointEveryMb << 20)) {
                store.checkpoint();
                lastCheckpoint = store.log().endLsn();
            }
        }
        store.log().flush();
        store.closeAbruptly();                                // killed: no checkpoint on the way out
        KvStore reopened = KvStore.open(new FileStorage(dir), config());
        KvStore.RecoveryReport report = reopened.recovery();
        double seconds = report.nanos() / 1e9;               // reading and redoing the log, not the checkpoint after
        reopened.close();
        deleteTree(dir);
        return new Replay(report.log().bytes() / (double) (1 << 20), seconds, report.log().records());
    }
    // endregion recovery-measure

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
