package dev.deepcuts.pool.lab;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import jdk.jfr.consumer.RecordingStream;

import dev.deepcuts.core.Lab;
import dev.deepcuts.core.LabContext;
import dev.deepcuts.core.LabResult;
import dev.deepcuts.core.Param;
import dev.deepcuts.core.Table;
import dev.deepcuts.core.UsageException;
import dev.deepcuts.pool.ConnectionPool;
import dev.deepcuts.pool.Database;
import dev.deepcuts.pool.PoolStats;

/**
 * Ten thousand virtual threads, ten connections: virtual threads make waiting cheap, not
 * connections plentiful. Every thread gets its turn, in order, with no timeout; the pool is the
 * queue. A second run holds a monitor ({@code synchronized}) around the borrow — the pattern that
 * pinned carrier threads before JDK 24 — and JFR counts pinning events in both.
 */
public final class VirtualThreadsLab implements Lab {

    @Override
    public String chapter() {
        return "pool";
    }

    @Override
    public String id() {
        return "virtual-threads";
    }

    @Override
    public String title() {
        return "10,000 virtual threads on 10 connections: throughput, waiting, and the pinning trap";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.ofInt("threads", 10_000, 2_000, "virtual threads, one request each"),
                Param.ofInt("poolSize", 10, 10, "connections"),
                Param.ofInt("holdMillis", 2, 2, "time each request holds its connection"));
    }

    record Run(String label, double seconds, long pinned, PoolStats stats, long failures) {}

    @Override
    public LabResult run(LabContext ctx) throws Exception {
        int threads = ctx.intParam("threads");
        int size = ctx.intParam("poolSize");
        int hold = ctx.intParam("holdMillis");
        if (threads < 1 || size < 1 || hold < 0) {
            throw new UsageException("need threads >= 1, poolSize >= 1, holdMillis >= 0");
        }
        List<Run> runs = new ArrayList<>();
        try (Database db = Database.fromEnvironment()) {
            ctx.log("database: %s; JDK %s", db.describe(), Runtime.version());
            measure(db, Math.min(threads, 200), size, hold, true);     // warm-up: class loading and initialization pin too
            for (boolean monitor : new boolean[] {false, true}) {
                runs.add(measure(db, threads, size, hold, monitor));
            }
        }
        var table = Table.of(String.format(Locale.ROOT, "%d virtual threads, one request each, on %d connections (JDK %d)", threads, size,
                Runtime.version().feature()), "variant", "wall time (s)", "requests/s", "wait p50 (ms)", "wait p99 (ms)", "timeouts",
                "failures", "pinning events");
        var b = LabResult.builder();
        for (Run r : runs) {
            table.row(r.label(), String.format(Locale.ROOT, "%.2f", r.seconds()), String.format(Locale.ROOT, "%.0f", threads / r.seconds()),
                    String.format(Locale.ROOT, "%.1f", r.stats().waitP50Micros() / 1000.0),
                    String.format(Locale.ROOT, "%.1f", r.stats().waitP99Micros() / 1000.0), r.stats().timeouts(), r.failures(), r.pinned());
        }
        b.table(table);
        Run plain = runs.get(0);
        Run sync = runs.get(1);
        double ideal = (double) threads * hold / size / 1000;       // seconds if the connections never idle
        b.metric("seconds", plain.seconds(), "s");
        b.metric("ideal_seconds", ideal, "s");
        b.metric("wait_p99_ms", plain.stats().waitP99Micros() / 1000.0, "ms");
        b.metric("pinned_plain", plain.pinned(), "events");
        b.metric("pinned_synchronized", sync.pinned(), "events");
        b.claim(String.format(Locale.ROOT, "all %d virtual threads got a connection, none timed out: the pool is the queue", threads),
                plain.stats().timeouts() == 0 && plain.failures() == 0 && plain.stats().borrows() == threads);
        b.claim("on this JDK, waiting for a connection inside synchronized pins no carrier thread (JEP 491, JDK 24) and times out nothing",
                sync.pinned() == 0 && sync.stats().timeouts() == 0 && Runtime.version().feature() >= 24);
        b.metric("throughput", threads / plain.seconds(), "requests/s");
        return b.verdict(String.format(Locale.ROOT, "%d virtual threads on %d connections in %.2f s (ideal %.2f s), wait p99 %.0f ms, "
                + "0 timeouts, %d pinning events", threads, size, plain.seconds(), ideal, plain.stats().waitP99Micros() / 1000.0,
                plain.pinned() + sync.pinned())).build();
    }

    // region virtual-threads
    private static Run measure(Database db, int threads, int size, int hold, boolean monitor) throws Exception {
        AtomicLong pinned = new AtomicLong();
        try (RecordingStream jfr = new RecordingStream();
             ConnectionPool pool = new ConnectionPool(db.pool().maxSize(size).minIdle(size).poolName("vt")
                     .borrowTimeout(Duration.ofMinutes(5)).events(e -> { }).build())) {
            jfr.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO);
            jfr.onEvent("jdk.VirtualThreadPinned", e -> pinned.incrementAndGet());
            jfr.startAsync();
            AtomicLong failures = new AtomicLong();
            CountDownLatch go = new CountDownLatch(1);
            long t0;
            try (var exec = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> all = new ArrayList<>(threads);
                for (int i = 0; i < threads; i++) {
                    Object lock = new Object();
                    all.add(exec.submit(() -> {
                        go.await();
                        if (monitor) {
                            synchronized (lock) {                   // before JDK 24: pins the carrier while it waits
                                request(pool, hold);
                            }
                        } else {
                            request(pool, hold);
                        }
                        return null;
                    }));
                }
                t0 = System.nanoTime();
                go.countDown();
                for (Future<?> f : all) {
                    try {
                        f.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        failures.incrementAndGet();
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(200);                                      // let JFR deliver the last events
            return new Run(monitor ? "borrow inside synchronized" : "plain", seconds, pinned.get(), pool.stats(), failures.get());
        }
    }

    private static void request(ConnectionPool pool, int hold) throws Exception {
        try (Connection c = pool.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
            rs.next();
            Thread.sleep(hold);
        }
    }
    // endregion virtual-threads
}
