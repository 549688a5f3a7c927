package dev.deepcuts.pool.lab;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import dev.deepcuts.core.Chart;
import dev.deepcuts.core.Lab;
import dev.deepcuts.core.LabContext;
import dev.deepcuts.core.LabResult;
import dev.deepcuts.core.Param;
import dev.deepcuts.core.Table;
import dev.deepcuts.core.UsageException;
import dev.deepcuts.pool.ConnectionPool;
import dev.deepcuts.pool.Database;

/**
 * Pool exhaustion: a service answers fast requests (a few ms of database time each) from a pool
 * sized for them; then, for a few seconds, one kind of request turns slow (a lock wait, a missing
 * index). The slow ones hold their connections, the pool drains, and the fast requests — which did
 * nothing wrong — time out in a cascade. The borrow timeout's message names the slow code.
 */
public final class ExhaustionLab implements Lab {

    @Override
    public String chapter() {
        return "pool";
    }

    @Override
    public String id() {
        return "exhaustion";
    }

    @Override
    public String title() {
        return "a slow query drains the pool: timeouts cascade onto fast requests, and the timeout names the culprit";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.ofInt("poolSize", 10, 10, "connections"),
                Param.ofInt("threads", 20, 20, "request threads"),
                Param.ofInt("fastMillis", 2, 2, "database time of a normal request"),
                Param.ofInt("slowMillis", 2000, 1000, "database time of the slow request during the incident"),
                Param.ofInt("slowEvery", 50, 50, "one request in this many is the slow kind"),
                Param.ofDouble("seconds", 12, 4, "run time; the incident covers the middle third"),
                Param.ofLong("timeoutMillis", 250, 250, "borrow timeout"));
    }

    // region slow-path
    /** The search endpoint: normally quick, but during the incident its query waits on a lock. */
    static void search(ConnectionPool pool, long millis) throws Exception {
        try (Connection c = pool.getConnection()) {
            c.createStatement().execute("SELECT 1");
            Load.work(millis);                            // the query's time in the database
        }
    }
    // endregion slow-path

    static void lookup(ConnectionPool pool, long millis) throws Exception {
        try (Connection c = pool.getConnection()) {
            c.createStatement().execute("SELECT 1");
            Load.work(millis);
        }
    }

    @Override
    public LabResult run(LabContext ctx) throws Exception {
        int size = ctx.intParam("poolSize");
        int threads = ctx.intParam("threads");
        int fast = ctx.intParam("fastMillis");
        int slow = ctx.intParam("slowMillis");
        int every = ctx.intParam("slowEvery");
        double seconds = ctx.doubleParam("seconds");
        long timeout = ctx.longParam("timeoutMillis");
        if (size < 1 || threads < 1 || fast < 0 || slow < fast || every < 1 || seconds < 3 || timeout < 10) {
            throw new UsageException("need poolSize, threads, slowEvery >= 1, 0 <= fastMillis <= slowMillis, seconds >= 3, timeoutMillis >= 10");
        }
        var b = LabResult.builder();
        try (Database db = Database.fromEnvironment()) {
            ctx.log("database: %s", db.describe());
            try (ConnectionPool pool = new ConnectionPool(db.pool().maxSize(size).minIdle(size).poolName("api")
                    .borrowTimeout(Duration.ofMillis(timeout)).events(e -> { }).build())) {
                long start = System.nanoTime();
                long incidentFrom = (long) (seconds / 3 * 1e9);
                long incidentTo = (long) (2 * seconds / 3 * 1e9);
                java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
                Load.Result r = Load.run(threads, seconds, 0, (w, n) -> {
                    long t = System.nanoTime() - start;
                    boolean incident = t >= incidentFrom && t < incidentTo;
                    if (incident && requests.incrementAndGet() % every == 0) {
                        search(pool, slow);
                    } else {
                        lookup(pool, fast);
                    }
                });
                double[] x = new double[r.perSecond().size()];
                double[] ok = new double[x.length];
                double[] to = new double[x.length];
                var table = Table.of("Requests per second; the incident runs from " + String.format(Locale.ROOT, "%.0f to %.0f s",
                        seconds / 3, 2 * seconds / 3), "second", "completed", "timed out", "p99 latency (ms)");
                long before = 0;
                long during = 0;
                long timeoutsDuring = 0;
                long timeoutsOutside = 0;
                for (int i = 0; i < x.length; i++) {
                    Load.Second s = r.perSecond().get(i);
                    x[i] = s.second() + 1;
                    ok[i] = s.completed();
                    to[i] = s.timeouts();
                    table.row(s.second() + 1, s.completed(), s.timeouts(), s.p99Micros() / 1000);
                    boolean in = (s.second() + 0.5) * 1e9 >= incidentFrom && (s.second() + 0.5) * 1e9 < incidentTo;
                    if (in) {
                        timeoutsDuring += s.timeouts();
                        during += s.completed();
                    } else {
                        timeoutsOutside += s.timeouts();
                        if (s.second() + 1 < seconds / 3) {
                            before += s.completed();
                        }
                    }
                }
                b.table(table);
                var chart = Chart.line("pool-exhaustion", "A slow query drains the pool").xLabel("second").yLabel("requests");
                chart.series("completed", x, ok);
                chart.series("timed out waiting for a connection", x, to);
                b.chart(chart);
                String message = r.firstTimeout() == null ? "(no timeout)" : r.firstTimeout().getMessage();
                ctx.log("the first borrow timeout said:%n%s", message);
                b.metric("timeouts_during", timeoutsDuring, "timeouts");
                b.metric("timeouts_outside", timeoutsOutside, "timeouts");
                b.metric("completed", r.completed(), "requests");
                b.claim(String.format(Locale.ROOT, "during the incident fast requests time out in a cascade (%d timeouts), outside it "
                        + "almost none (%d)", timeoutsDuring, timeoutsOutside), timeoutsDuring > 10L * Math.max(1, timeoutsOutside));
                b.claim("the timeout message names the slow code path holding the connections (ExhaustionLab.search)",
                        message.contains("ExhaustionLab.search"));
                return b.verdict(String.format(Locale.ROOT, "%d timeouts during the incident, %d outside; the message names the slow path: %s",
                        timeoutsDuring, timeoutsOutside, message.contains("ExhaustionLab.search"))).build();
            }
        }
    }
}
