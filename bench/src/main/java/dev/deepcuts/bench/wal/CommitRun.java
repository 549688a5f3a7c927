package dev.deepcuts.bench.wal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One timed run of one contender: {@code writers} platform threads commit as fast as they can, a
 * warm-up passes, then commits and syncs are counted over a measured window by snapshots of
 * per-thread counters taken at its two ends (nothing is stopped or started at the edges, so the
 * window sees the steady state). The stores stay open between runs; each writer continues its
 * own sequence of keys.
 */
final class CommitRun {

    /** Counters of different threads sit 128 bytes apart: no false sharing. */
    private static final int STRIDE = 16;

    /**
     * What one run measured.
     *
     * @param round         the round it belongs to (set by the caller; 0 if none)
     * @param kind          the contender
     * @param writers       writer threads
     * @param commits       commits completed in the window
     * @param seconds       the window's length
     * @param syncs         the contender's syncs in the window, or -1 if it does not count them
     * @param maxLatencyMs  the slowest single commit that finished in the window, ms
     */
    record Sample(int round, Contender.Kind kind, int writers, long commits, double seconds, long syncs, double maxLatencyMs) {

        Sample inRound(int r) {
            return new Sample(r, kind, writers, commits, seconds, syncs, maxLatencyMs);
        }

        double perSecond() {
            return commits / seconds;
        }

        /** Commits per sync, or NaN when syncs were not counted. */
        double perSync() {
            return syncs <= 0 ? Double.NaN : (double) commits / syncs;
        }
    }

    private CommitRun() {
    }

    /**
     * Runs {@code writers} threads on {@code sessions[0..writers)} for {@code warmupMillis}, then
     * counts over {@code measureMillis}; {@code next[w]} is writer {@code w}'s commit counter,
     * carried from run to run.
     */
    static Sample run(Contender contender, Contender.Session[] sessions, long[] next, Workload workload, int writers,
                      long warmupMillis, long measureMillis) throws Exception {
        if (writers < 1 || writers > sessions.length) {
            throw new IllegalArgumentException("writers must be in [1, " + sessions.length + "], got " + writers);
        }
        AtomicLongArray done = new AtomicLongArray(writers * STRIDE);
        AtomicLongArray slowest = new AtomicLongArray(writers * STRIDE);
        AtomicReference<Throwable> error = new AtomicReference<>();
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        var measuring = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int me = w;
            threads.add(Thread.ofPlatform().name("bench-wal-" + contender.kind().name().toLowerCase() + "-" + w).start(() -> {
                Contender.Session session = sessions[me];
                long n = next[me];
                byte[] value = new byte[Workload.VALUE_BYTES];   // every store copies it before commit returns
                long count = 0;
                long max = 0;
                try {
                    while (!stop.get() && error.get() == null) {
                        workload.value(Workload.stamp(me, n), value);
                        long t0 = System.nanoTime();
                        session.commit(workload.key(n, writers, me), value);
                        long took = System.nanoTime() - t0;
                        n++;
                        done.lazySet(me * STRIDE, ++count);
                        if (measuring.get() && took > max) {
                            max = took;
                            slowest.lazySet(me * STRIDE, max);
                        }
                    }
                } catch (Throwable e) {
                    error.compareAndSet(null, e);
                } finally {
                    next[me] = n;
                }
            }));
        }
        try {
            sleep(warmupMillis, error);
            long c0 = sum(done, writers);
            long s0 = contender.syncs();
            long t0 = System.nanoTime();
            measuring.set(true);
            sleep(measureMillis, error);
            long c1 = sum(done, writers);
            long s1 = contender.syncs();
            long t1 = System.nanoTime();
            measuring.set(false);
            long max = 0;
            for (int w = 0; w < writers; w++) {
                max = Math.max(max, slowest.get(w * STRIDE));
            }
            return new Sample(0, contender.kind(), writers, c1 - c0, (t1 - t0) / 1e9, s0 < 0 ? -1 : s1 - s0, max / 1e6);
        } finally {
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            if (error.get() != null) {
                throw new IllegalStateException(contender.kind().label + " failed with " + writers + " writer(s): " + error.get(),
                        error.get());
            }
        }
    }

    /** Each of {@code writers} threads writes every {@code writers}-th key once: the stores start full, the JIT warm. */
    static void populate(Contender contender, Contender.Session[] sessions, Workload workload, int writers) throws Exception {
        AtomicReference<Throwable> error = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int me = w;
            threads.add(Thread.ofPlatform().name("bench-wal-populate-" + w).start(() -> {
                try {
                    for (int k = me; k < workload.keys() && error.get() == null; k += writers) {
                        sessions[me].commit(workload.key(k), workload.value(Workload.populateStamp(k)));
                    }
                } catch (Throwable e) {
                    error.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (error.get() != null) {
            throw new IllegalStateException(contender.kind().label + " failed while writing its first keys: " + error.get(), error.get());
        }
    }

    private static long sum(AtomicLongArray counts, int writers) {
        long s = 0;
        for (int w = 0; w < writers; w++) {
            s += counts.get(w * STRIDE);
        }
        return s;
    }

    /** Sleeps, waking early if a writer failed. */
    private static void sleep(long millis, AtomicReference<Throwable> error) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (error.get() == null) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(left / 1_000_000 + 1, 20));
        }
    }
}
