package dev.deepcuts.pool.lab;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.deepcuts.core.Lab;
import dev.deepcuts.core.LabContext;
import dev.deepcuts.core.LabResult;
import dev.deepcuts.core.Param;
import dev.deepcuts.core.Table;
import dev.deepcuts.core.UsageException;
import dev.deepcuts.pool.ConnectionPool;
import dev.deepcuts.pool.Database;

/**
 * A connection leak: one code path forgets to close its connection when it takes an early return.
 * Every leaked connection is gone from the pool for good; the pool drains and borrowers start
 * timing out. With leak detection on, the pool says so within the threshold and names the line
 * that borrowed it.
 */
public final class LeakLab implements Lab {

    @Override
    public String chapter() {
        return "pool";
    }

    @Override
    public String id() {
        return "leak";
    }

    @Override
    public String title() {
        return "a code path that forgets to close: the pool drains, and leak detection names the line";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.ofInt("poolSize", 10, 5, "connections"),
                Param.ofInt("threads", 8, 4, "request threads"),
                Param.ofInt("leakEvery", 200, 50, "one request in this many takes the leaking path"),
                Param.ofLong("thresholdMillis", 1000, 300, "leak detection threshold"),
                Param.ofDouble("seconds", 8, 3, "run time"));
    }

    // region leaky-code
    /** The report export: the early return for an empty report forgets the connection. */
    static void exportReport(ConnectionPool pool, boolean empty) throws Exception {
        Connection c = pool.getConnection();
        c.createStatement().execute("SELECT 1");
        if (empty) {
            return;                                       // the leak: no close on this path
        }
        c.close();
    }
    // endregion leaky-code

    @Override
    public LabResult run(LabContext ctx) throws Exception {
        int size = ctx.intParam("poolSize");
        int threads = ctx.intParam("threads");
        int every = ctx.intParam("leakEvery");
        long threshold = ctx.longParam("thresholdMillis");
        double seconds = ctx.doubleParam("seconds");
        if (size < 1 || threads < 1 || every < 1 || threshold < 10 || seconds <= 0) {
            throw new UsageException("need poolSize, threads, leakEvery >= 1, thresholdMillis >= 10, seconds > 0");
        }
        List<String> events = new CopyOnWriteArrayList<>();
        List<Long> leakedAt = new CopyOnWriteArrayList<>();
        List<Long> reportedAt = new CopyOnWriteArrayList<>();
        var b = LabResult.builder();
        try (Database db = Database.fromEnvironment()) {
            ctx.log("database: %s", db.describe());
            try (ConnectionPool pool = new ConnectionPool(db.pool().maxSize(size).minIdle(size).poolName("app")
                    .borrowTimeout(Duration.ofMillis(200)).leakThreshold(Duration.ofMillis(threshold)).siteSampling(1)
                    .events(e -> {
                        events.add(e);
                        if (e.contains("has been held for")) {
                            reportedAt.add(System.nanoTime());
                        }
                    }).build())) {
                java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
                Load.Result r = Load.run(threads, seconds, 0, (w, n) -> {
                    boolean leak = requests.incrementAndGet() % every == 0;
                    long t = System.nanoTime();
                    exportReport(pool, leak);                 // a timeout here leaks nothing
                    if (leak) {
                        leakedAt.add(t);
                    }
                    Load.work(2);
                });
                var stats = pool.stats();
                int leaked = leakedAt.size();
                String report = events.stream().filter(e -> e.contains("has been held for")).findFirst().orElse("(none)");
                boolean namesTheLine = report.contains("LeakLab.exportReport");
                long worstDelayMs = 0;
                for (int i = 0; i < Math.min(leakedAt.size(), reportedAt.size()); i++) {
                    worstDelayMs = Math.max(worstDelayMs, (reportedAt.get(i) - leakedAt.get(i)) / 1_000_000);
                }
                var table = Table.of(String.format(Locale.ROOT, "%d threads on %d connections; one request in %d forgets to close",
                        threads, size, every), "measure", "value");
                table.row("requests completed", r.completed());
                table.row("connections leaked", leaked);
                table.row("borrow timeouts once the pool ran dry", r.timeouts());
                table.row("leak reports", stats.leaks());
                table.row("slowest report after the leak (ms)", worstDelayMs);
                table.row("first report", report.lines().limit(3).reduce((x, y) -> x + " | " + y).orElse(""));
                b.table(table);
                ctx.log("the first leak report, in full:%n%s", report);
                b.metric("leaked", leaked, "connections");
                b.metric("reports", stats.leaks(), "reports");
                b.metric("timeouts", r.timeouts(), "timeouts");
                b.metric("worst_report_delay_ms", worstDelayMs, "ms");
                b.claim(String.format(Locale.ROOT, "every leaked connection was reported (%d of %d), each within the threshold plus one "
                        + "housekeeping round (%d ms, threshold %d ms)", Math.min(stats.leaks(), leaked), leaked, worstDelayMs, threshold),
                        leaked > 0 && stats.leaks() >= Math.min(leaked, size) && worstDelayMs <= threshold + threshold / 4 + 100);
                b.claim("the report names the method that borrowed and never returned: LeakLab.exportReport", namesTheLine);
                if (leaked >= size) {
                    b.claim("once every connection had leaked, borrowers timed out: a leak looks like an exhausted pool", r.timeouts() > 0);
                }
                return b.verdict(String.format(Locale.ROOT, "%d leaked, %d reported within %d ms, %d timeouts after the pool ran dry",
                        leaked, stats.leaks(), worstDelayMs, r.timeouts())).build();
            }
        }
    }
}
