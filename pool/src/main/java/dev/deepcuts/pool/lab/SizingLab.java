package dev.deepcuts.pool.lab;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

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
 * "Just make the pool bigger": a service of T request threads runs a CPU-bound query through a
 * pool of P connections, for P from 1 up to T. Throughput climbs until the database's cores are
 * busy (the knee) and then stops; past it, each query just takes longer, because more of them
 * share the same cores. Little's law is read off the measurements.
 */
public final class SizingLab implements Lab {

    @Override
    public String chapter() {
        return "pool";
    }

    @Override
    public String id() {
        return "sizing";
    }

    @Override
    public String title() {
        return "throughput and latency against pool size for a CPU-bound query: the knee, and Little's law";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.ofInt("threads", 32, 16, "request threads"),
                Param.ofIntList("poolSizes", List.of(1, 2, 3, 4, 6, 8, 12, 16, 24, 32), List.of(1, 2, 4, 8, 16), "pool sizes, one run each"),
                Param.ofInt("rows", 100_000, 100_000, "rows the query sums (its CPU cost)"),
                Param.ofDouble("seconds", 5, 1.5, "measured time per pool size (after 1/3 of it as warm-up)"));
    }

    record Point(int size, double throughput, long p50Micros, long p99Micros, double holdMillis, double meanLatencyMillis) {}

    @Override
    public LabResult run(LabContext ctx) throws Exception {
        int threads = ctx.intParam("threads");
        List<Integer> sizes = ctx.intListParam("poolSizes");
        int rows = ctx.intParam("rows");
        double seconds = ctx.doubleParam("seconds");
        if (threads < 1 || rows < 1 || seconds <= 0 || sizes.isEmpty() || sizes.stream().anyMatch(s -> s < 1)) {
            throw new UsageException("need threads >= 1, rows >= 1, seconds > 0 and positive pool sizes");
        }
        List<Point> points = new ArrayList<>();
        int cores = Runtime.getRuntime().availableProcessors();
        var b = LabResult.builder();
        try (Database db = Database.fromEnvironment()) {
            // a parameter that changes every time: H2 would otherwise reuse the previous result
            String query = db.isPostgres() ? "SELECT sum((i + ?) % 13) FROM generate_series(1, " + rows + ") i"
                    : "SELECT SUM(MOD(X + ?, 13)) FROM SYSTEM_RANGE(1, " + rows + ")";
            ctx.log("database: %s; query: %s; %d cores here", db.describe(), query, cores);
            try (var progress = ctx.progress("pool sizes", sizes.size())) {
                for (int size : sizes) {
                    // region sizing-run
                    try (ConnectionPool pool = new ConnectionPool(db.pool().maxSize(size).minIdle(size).poolName("size-" + size)
                            .borrowTimeout(Duration.ofMinutes(1)).events(e -> { }).build())) {
                        LongAdder holdNanos = new LongAdder();
                        LongAdder queries = new LongAdder();
                        Load.Result r = Load.run(threads, seconds, seconds / 3, (w, n) -> {
                            try (Connection c = pool.getConnection()) {
                                long t0 = System.nanoTime();
                                try (var ps = c.prepareStatement(query)) {
                                    ps.setLong(1, n * 1_000_003L + w);
                                    try (ResultSet rs = ps.executeQuery()) {
                                        rs.next();
                                    }
                                }
                                holdNanos.add(System.nanoTime() - t0);      // the query's own time
                                queries.increment();
                            }
                        });
                        // endregion sizing-run
                        double hold = holdNanos.sum() / 1e6 / Math.max(1, queries.sum());
                        double meanLatency = threads / r.throughput() * 1000;   // Little's law for a closed loop: N = X × R
                        points.add(new Point(size, r.throughput(), r.p50Micros(), r.p99Micros(), hold, meanLatency));
                    }
                    progress.step();
                }
            }
            var table = Table.of(String.format(Locale.ROOT, "%d request threads, a CPU-bound query, the database on %s", threads,
                    db.isPostgres() ? "PostgreSQL" : "H2"), "pool size", "queries/s", "query time (ms)", "latency p50 (ms)",
                    "latency p99 (ms)", "Little: threads / throughput (ms)");
            double[] x = new double[points.size()];
            double[] tp = new double[points.size()];
            double[] q = new double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                Point p = points.get(i);
                x[i] = p.size();
                tp[i] = p.throughput();
                q[i] = p.holdMillis();
                table.row(p.size(), String.format(Locale.ROOT, "%.0f", p.throughput()), String.format(Locale.ROOT, "%.1f", p.holdMillis()),
                        String.format(Locale.ROOT, "%.1f", p.p50Micros() / 1000.0), String.format(Locale.ROOT, "%.1f", p.p99Micros() / 1000.0),
                        String.format(Locale.ROOT, "%.1f", p.meanLatencyMillis()));
                b.metric("throughput_" + p.size(), p.throughput(), "queries/s");
                b.metric("query_ms_" + p.size(), p.holdMillis(), "ms");
            }
            b.table(table);
            var chart = Chart.line("pool-sizing", "Throughput against pool size (" + threads + " threads)").xLabel("pool size")
                    .yLabel("queries per second").logX();
            chart.series("queries per second", x, tp);
            b.chart(chart);
            var latency = Chart.line("pool-sizing-query-time", "Time each query takes inside the database").xLabel("pool size")
                    .yLabel("query time (ms)").logX();
            latency.series("query time", x, q);
            b.chart(latency);

            double best = points.stream().mapToDouble(Point::throughput).max().orElseThrow();
            Point knee = points.stream().filter(p -> p.throughput() >= 0.9 * best).findFirst().orElseThrow();
            Point first = points.get(0);
            Point largest = points.get(points.size() - 1);
            // the heuristic's size (cores x 2, no spindles on an SSD): the largest pool tried at or below it
            Point heuristic = points.stream().filter(p -> p.size() <= 2 * cores).reduce((a, c) -> c).orElse(first);
            b.metric("knee", knee.size(), "connections");
            b.metric("cores", cores, "cores");
            double poolGrowth = (double) largest.size() / heuristic.size();
            double throughputGrowth = largest.throughput() / heuristic.throughput();
            b.claim(String.format(Locale.ROOT, "past cores x 2 = %d connections, throughput grows far less than the pool: %.1fx the connections "
                    + "(%d to %d) gave %.2fx the queries/s (%.0f to %.0f)", 2 * cores, poolGrowth, heuristic.size(), largest.size(),
                    throughputGrowth, heuristic.throughput(), largest.throughput()),
                    largest.size() > heuristic.size() && throughputGrowth <= 0.5 * poolGrowth);
            b.claim(String.format(Locale.ROOT, "and every query takes longer: %.1f ms at %d connections against %.1f ms at %d, "
                    + "because they share the same cores", largest.holdMillis(), largest.size(), first.holdMillis(), first.size()),
                    largest.size() > first.size() && largest.holdMillis() >= 1.5 * first.holdMillis());
            return b.verdict(String.format(Locale.ROOT, "knee at %d connections (%.0f queries/s); at %d: %.0f queries/s, each query %.1f ms instead of %.1f at %d",
                    knee.size(), knee.throughput(), largest.size(), largest.throughput(), largest.holdMillis(), first.holdMillis(), first.size())).build();
        }
    }
}
