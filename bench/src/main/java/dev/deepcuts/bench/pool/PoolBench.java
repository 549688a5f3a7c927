package dev.deepcuts.bench.pool;

import java.io.PrintStream;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import dev.deepcuts.core.Bench;
import dev.deepcuts.core.BenchContext;
import dev.deepcuts.core.BenchResult;
import dev.deepcuts.core.BenchResult.Better;
import dev.deepcuts.core.BenchResult.Row;
import dev.deepcuts.core.UsageException;

/**
 * Chapter 8's {@link dev.deepcuts.pool.ConnectionPool} against HikariCP, Agroal and Apache Commons
 * DBCP2, measured in the same run: the borrow/return cycle and the borrow + statement + return
 * cycle at 1 and 8 threads over a stub driver (so the pool is what is measured), each pool again
 * with its leak or holder diagnostics on, the statement cycle over PostgreSQL when
 * {@code DEEPCUTS_PG_URL} names one, the clock reads of each pool's cycle, and a fairness case: 64
 * threads on 8 connections, every borrow's wait recorded.
 *
 * <p>Run it with {@code ./deepcuts bench pool} (about 8 minutes on 2 cores; writes
 * {@code book/results/bench-pool.json}) or {@code ./deepcuts bench pool --quick} (a little over a
 * minute, writes under {@code target/deepcuts/}). On a shared machine take the benchmark lock first:
 * {@code flock /tmp/jmh.lock ./deepcuts bench pool}. For the PostgreSQL rows:
 * {@code DEEPCUTS_PG_URL='jdbc:postgresql://localhost:5432/postgres?user=postgres&password=...'}.
 */
public final class PoolBench implements Bench {

    /*
     * How it runs.
     *
     * The cycles are timed by JMH (CycleBench), one fork per pool and cycle, so no pool's JIT
     * profile is polluted by another's (with one DataSource class loaded, every call into the pool
     * is monomorphic, as in an application). JMH runs once per (database, thread count): over the
     * stub, both cycles for every Contender; over PostgreSQL, the statement cycle for the four
     * pools with their defaults. Every pool has 8 connections, all opened before the first
     * iteration, so at 8 threads nobody has to wait for a connection and what is timed is the cost
     * of borrowing and returning, contended. JMH measures throughput (all threads together); the
     * table shows its inverse, nanoseconds of the machine per cycle: at 1 thread that is the time
     * of one cycle, at 8 threads on 2 cores it is what a cycle costs the machine with every core
     * busy (perfect scaling would halve it).
     *
     * Then a JVM of its own counts each pool's clock reads per cycle (ClockReads: a Java agent
     * redirects every clock read outside the JDK to a counter). Then, in this JVM, the fairness
     * case (Fairness): the four pools with their defaults, interleaved and repeated, the median of
     * each figure over the repeats.
     */

    /** The thread counts of the throughput cases. */
    static final int[] THREADS = {1, 8};

    /** How long: quick for CI (PostgreSQL at 1 thread only), full for the chapter. */
    record Settings(int warmupIterations, TimeValue warmupTime, int measurementIterations, TimeValue measurementTime,
                    Fairness.Settings fairness, int[] postgresThreads) {}

    static final Settings QUICK = new Settings(1, TimeValue.milliseconds(200), 2, TimeValue.milliseconds(100),
            new Fairness.Settings(64, 8, Duration.ofMillis(1), Duration.ofSeconds(1), Duration.ofMillis(200),
                    Duration.ofMillis(500), 1), new int[] {1});

    static final Settings FULL = new Settings(3, TimeValue.seconds(1), 5, TimeValue.seconds(1),
            new Fairness.Settings(64, 8, Duration.ofMillis(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                    Duration.ofSeconds(5), 3), THREADS);

    /** The pools of the fairness and PostgreSQL cases: each library with its defaults. */
    static final List<Contender> PLAIN = List.of(Contender.OURS, Contender.HIKARI, Contender.AGROAL, Contender.DBCP2);

    /** One JMH run: a database, a thread count, the cycles and the pools timed. */
    record Plan(String db, int threads, List<Cycle> cycles, List<Contender> contenders) {
        int forks() {
            return cycles.size() * contenders.size();
        }
    }

    @Override
    public String chapter() {
        return "pool";
    }

    @Override
    public String title() {
        return "our connection pool vs HikariCP, Agroal and DBCP2: borrow/return cycles (stub driver, PostgreSQL), "
                + "diagnostics on, fairness at 8x oversubscription";
    }

    @Override
    public BenchResult run(BenchContext context) throws Exception {
        Settings settings = context.quick() ? QUICK : FULL;
        PrintStream out = context.out();
        StubDriver.register();

        String pgUrl = System.getenv(PoolState.PG_URL_ENV);
        String pgSkipped = postgresUnavailable(pgUrl);
        List<Plan> plans = plans(pgSkipped == null ? settings.postgresThreads() : new int[0]);
        int forks = plans.stream().mapToInt(Plan::forks).sum();
        out.printf(Locale.ROOT, "timing with JMH: %d benchmarks, 1 fork each, %d connections per pool, warmup %d x %s, "
                        + "measurement %d x %s%n", forks, PoolState.SIZE, settings.warmupIterations(), settings.warmupTime(),
                settings.measurementIterations(), settings.measurementTime());
        if (pgSkipped != null) {
            out.println("PostgreSQL rows skipped: " + pgSkipped);
        } else {
            out.println("PostgreSQL: " + safeUrl(pgUrl));
        }
        var progress = new ProgressFormat(out, forks);
        List<Timing> timings = new ArrayList<>();
        for (Plan plan : plans) {
            for (RunResult r : runJmh(options(settings, plan), progress)) {
                timings.add(Timing.of(r.getParams(), r.getPrimaryResult()));
            }
        }

        out.println("clock reads per cycle: counted by a Java agent in a JVM of its own, " + ClockReads.CYCLES
                + " cycles of each kind per pool, 1 thread");
        Map<Contender, Map<Cycle, Double>> clockReads = ClockReads.inChildJvm(List.of(Contender.values()), Duration.ofMinutes(2));
        for (var e : clockReads.entrySet()) {
            out.printf(Locale.ROOT, "  %-50s %s%n", e.getKey().label + ":", e.getValue().entrySet().stream()
                    .map(x -> String.format(Locale.ROOT, "%s %.2f", x.getKey().label, x.getValue()))
                    .collect(Collectors.joining(", ")));
        }

        Fairness.Settings fs = settings.fairness();
        out.printf(Locale.ROOT, "fairness: %s, borrow timeout %d ms, %d run(s) of %.1f s per pool, interleaved%n",
                fs.describe(), fs.borrowTimeout().toMillis(), fs.repeats(), fs.measure().toMillis() / 1e3);
        List<List<Fairness.Run>> fairness = Fairness.interleaved(PLAIN, StubDriver.URL, fs,
                run -> out.println("  " + run.describe()));

        List<Row> rows = new ArrayList<>(rows(timings));
        rows.addAll(clockRows(clockReads));
        rows.addAll(fairnessRows(fairness, fs));
        out.println();
        printDiagnosticsCost(out, timings);
        printTargets(out, timings, clockReads, fairness, fs);
        if (pgSkipped != null) {
            out.println("PostgreSQL rows skipped: " + pgSkipped);
        }
        String command = "./deepcuts bench pool" + (context.quick() ? " --quick" : "");
        return new BenchResult(chapter(), command, BenchResult.describeMachine(), rows);
    }

    /**
     * The JMH runs: every pool variant over the stub at 1 and 8 threads; the plain pools over
     * PostgreSQL at {@code postgresThreads} (none: PostgreSQL is not there).
     */
    static List<Plan> plans(int... postgresThreads) {
        List<Plan> plans = new ArrayList<>();
        for (int t : THREADS) {
            plans.add(new Plan("stub", t, List.of(Cycle.values()), List.of(Contender.values())));
        }
        for (int t : postgresThreads) {
            plans.add(new Plan("postgres", t, List.of(Cycle.STATEMENT), PLAIN));
        }
        return plans;
    }

    /** Why the PostgreSQL rows cannot run, or null if they can. */
    static String postgresUnavailable(String url) {
        if (url == null || url.isBlank()) {
            return PoolState.PG_URL_ENV + " is not set (e.g. jdbc:postgresql://localhost:5432/postgres?user=postgres&password=...)";
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            return PoolState.PG_URL_ENV + " must be a jdbc:postgresql: URL, got " + safeUrl(url);
        }
        DriverManager.setLoginTimeout(5);
        try (var c = DriverManager.getConnection(url)) {
            if (!c.isValid(5)) {
                return "the server at " + safeUrl(url) + " does not answer";
            }
            return null;
        } catch (SQLException e) {
            return "cannot connect to " + safeUrl(url) + ": " + e.getMessage();
        }
    }

    /** The URL with any password masked. */
    static String safeUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    // ---------------------------------------------------------------------------------------------
    // JMH

    static Options options(Settings settings, Plan plan) {
        String methods = plan.cycles().stream().map(c -> c.method).collect(Collectors.joining("|"));
        return new OptionsBuilder()
                .include("^" + Pattern.quote(CycleBench.class.getName()) + "\\.(" + methods + ")$")
                .param("pool", plan.contenders().stream().map(c -> c.param).toArray(String[]::new))
                .param("db", plan.db())
                .threads(plan.threads())
                .forks(1)
                .warmupForks(0)
                .warmupIterations(settings.warmupIterations())
                .warmupTime(settings.warmupTime())
                .measurementIterations(settings.measurementIterations())
                .measurementTime(settings.measurementTime())
                // set explicitly, so the forks do not inherit the CLI's own JVM options; JMH 1.37
                // uses sun.misc.Unsafe, which JDK 24+ warns about on every fork's first use
                .jvmArgs("-Xms1g", "-Xmx1g", "--sun-misc-unsafe-memory-access=allow")
                .shouldFailOnError(true)
                .build();
    }

    private static Collection<RunResult> runJmh(Options options, ProgressFormat progress) throws RunnerException {
        try {
            return new Runner(options, progress).run();
        } catch (RunnerException e) {
            if (String.valueOf(e.getMessage()).contains("JMH lock")) {
                // two JMH runs on one machine would measure each other: JMH refuses, and so do we
                throw new UsageException("another JMH run is in progress on this machine (it holds "
                        + System.getProperty("java.io.tmpdir") + "/jmh.lock); wait for it to finish and run the bench again");
            }
            throw e;
        }
    }

    /**
     * One timed fork in the table's terms.
     *
     * @param cycle     the cycle
     * @param contender the pool
     * @param db        {@code stub} or {@code postgres}
     * @param threads   JMH threads
     * @param nanos     nanoseconds of the machine per cycle: 1 / (the throughput of all threads)
     * @param error     JMH's 99.9% confidence half-width, same unit (NaN if too few samples)
     */
    record Timing(Cycle cycle, Contender contender, String db, int threads, double nanos, double error) {

        static Timing of(BenchmarkParams params, Result<?> primary) {
            String benchmark = params.getBenchmark();
            return of(benchmark.substring(benchmark.lastIndexOf('.') + 1), params.getParam("pool"), params.getParam("db"),
                    params.getThreads(), primary.getScore(), primary.getScoreError(), primary.getScoreUnit());
        }

        /** From JMH's terms: a throughput {@code score ± error} in {@code unit} (ops/s, ops/ms...), all threads together. */
        static Timing of(String method, String pool, String db, int threads, double score, double error, String unit) {
            double perSecond = switch (unit) {
                case "ops/s" -> score;
                case "ops/ms" -> score * 1e3;
                case "ops/us" -> score * 1e6;
                case "ops/ns" -> score * 1e9;
                default -> throw new IllegalArgumentException("expected a throughput in ops per time, got unit " + unit);
            };
            double nanos = 1e9 / perSecond;
            double nanosError = Double.isNaN(error) ? Double.NaN : nanos * error / score; // first order: d(1/x) = dx/x^2
            return new Timing(Cycle.byMethod(method), Contender.byParam(pool), db, threads, nanos, nanosError);
        }

        /** "borrow/return, stub driver, 8 threads" */
        String describeCase() {
            return caseName(cycle, db, threads);
        }
    }

    static String caseName(Cycle cycle, String db, int threads) {
        return cycle.label(db) + ", " + (db.equals("stub") ? "stub driver" : "PostgreSQL") + ", " + threads
                + (threads == 1 ? " thread" : " threads");
    }

    // ---------------------------------------------------------------------------------------------
    // rows

    /** The name of the peer column that holds ours without sampled stacks. */
    static final String NO_STACKS = "ours, no stacks";

    /**
     * The timed rows: for every database, cycle and thread count, ours beside the peers with their
     * defaults; over the stub, each with its diagnostics on; and ours with its defaults beside ours
     * without sampled stacks (what the sampling costs). A figure not measured is left out.
     */
    static List<Row> rows(List<Timing> timings) {
        record Key(Cycle cycle, Contender contender, String db, int threads) {}
        Map<Key, Double> figure = new LinkedHashMap<>();
        for (Timing t : timings) {
            figure.put(new Key(t.cycle(), t.contender(), t.db(), t.threads()), t.nanos());
        }
        List<Row> rows = new ArrayList<>();
        for (String db : List.of("stub", "postgres")) {
            for (boolean diagnostics : db.equals("stub") ? new boolean[] {false, true} : new boolean[] {false}) {
                for (Cycle cycle : Cycle.values()) {
                    for (int t : THREADS) {
                        Contender ours = diagnostics ? Contender.OURS_EVERY_STACK : Contender.OURS;
                        Double mine = figure.get(new Key(cycle, ours, db, t));
                        if (mine == null) {
                            continue;
                        }
                        Map<String, Double> peers = new LinkedHashMap<>();
                        for (Contender.Family f : Contender.Family.values()) {
                            if (f == Contender.Family.OURS) {
                                continue;
                            }
                            Contender peer = diagnostics ? Contender.withDiagnostics(f) : Contender.plain(f);
                            Double theirs = figure.get(new Key(cycle, peer, db, t));
                            if (theirs != null) {
                                peers.put(f.label, theirs);
                            }
                        }
                        rows.add(new Row(caseName(cycle, db, t) + (diagnostics ? ", diagnostics on" : ""), "ns/cycle",
                                Better.LOWER, mine, peers));
                    }
                }
            }
        }
        for (Cycle cycle : Cycle.values()) {
            for (int t : THREADS) {
                Double mine = figure.get(new Key(cycle, Contender.OURS, "stub", t));
                Double none = figure.get(new Key(cycle, Contender.OURS_NO_STACKS, "stub", t));
                if (mine != null && none != null) {
                    rows.add(new Row(caseName(cycle, "stub", t) + ", ours with 1-in-64 stacks vs none", "ns/cycle", Better.LOWER,
                            mine, Map.of(NO_STACKS, none)));
                }
            }
        }
        return rows;
    }

    /** Clock reads per cycle: ours beside the peers, with their defaults and with diagnostics on. */
    static List<Row> clockRows(Map<Contender, Map<Cycle, Double>> reads) {
        List<Row> rows = new ArrayList<>();
        for (boolean diagnostics : new boolean[] {false, true}) {
            for (Cycle cycle : Cycle.values()) {
                Contender ours = diagnostics ? Contender.OURS_EVERY_STACK : Contender.OURS;
                Double mine = reads.getOrDefault(ours, Map.of()).get(cycle);
                if (mine == null) {
                    continue;
                }
                Map<String, Double> peers = new LinkedHashMap<>();
                for (Contender.Family f : Contender.Family.values()) {
                    Contender peer = diagnostics ? Contender.withDiagnostics(f) : Contender.plain(f);
                    Double theirs = reads.getOrDefault(peer, Map.of()).get(cycle);
                    if (f != Contender.Family.OURS && theirs != null) {
                        peers.put(f.label, theirs);
                    }
                }
                rows.add(new Row("clock reads per cycle, " + cycle.label + (diagnostics ? ", diagnostics on" : ""), "reads/cycle",
                        Better.LOWER, mine, peers));
            }
        }
        return rows;
    }

    /** The fairness rows: medians over the repeats of each pool's wait figures, timeouts and throughput. */
    static List<Row> fairnessRows(List<List<Fairness.Run>> runs, Fairness.Settings s) {
        record Figure(String name, String unit, Better better, java.util.function.ToDoubleFunction<Fairness.Run> of) {}
        List<Figure> figures = List.of(
                new Figure("median wait", "ms", Better.LOWER, r -> r.p50Micros() / 1e3),
                new Figure("p99 wait", "ms", Better.LOWER, r -> r.p99Micros() / 1e3),
                new Figure("max wait", "ms", Better.LOWER, r -> r.maxMicros() / 1e3),
                new Figure("mean wait", "ms", Better.LOWER, r -> r.meanMicros() / 1e3),
                new Figure("p99 wait / Little's-law mean wait", "ratio", Better.LOWER, Fairness.Run::p99OverLittle),
                new Figure("timeouts (borrow timeout " + s.borrowTimeout().toMillis() + " ms)", "count", Better.LOWER,
                        r -> r.timeouts()),
                new Figure("throughput", "borrows/s", Better.HIGHER, Fairness.Run::throughput));
        String prefix = "fairness, " + s.describe() + ": ";
        List<Row> rows = new ArrayList<>();
        for (Figure f : figures) {
            Double mine = null;
            Map<String, Double> peers = new LinkedHashMap<>();
            for (List<Fairness.Run> pool : runs) {
                if (pool.isEmpty()) {
                    continue;
                }
                double m = Fairness.median(pool.stream().mapToDouble(f.of()).toArray());
                Contender c = pool.getFirst().contender();
                if (c.family == Contender.Family.OURS) {
                    mine = m;
                } else {
                    peers.put(c.family.label, m);
                }
            }
            if (mine != null) {
                rows.add(new Row(prefix + f.name(), f.unit(), f.better(), mine, peers));
            }
        }
        return rows;
    }

    // ---------------------------------------------------------------------------------------------
    // what the numbers say

    private static Double find(List<Timing> timings, Cycle cycle, Contender c, String db, int threads) {
        for (Timing t : timings) {
            if (t.cycle() == cycle && t.contender() == c && t.db().equals(db) && t.threads() == threads) {
                return t.nanos();
            }
        }
        return null;
    }

    /** For every pool, what switching its diagnostics on adds to a cycle over the stub. */
    static void printDiagnosticsCost(PrintStream out, List<Timing> timings) {
        out.println("diagnostics on minus off, ns per cycle added (stub driver):");
        for (Cycle cycle : Cycle.values()) {
            for (int t : THREADS) {
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-45s", caseName(cycle, "stub", t) + ":"));
                for (Contender.Family f : Contender.Family.values()) {
                    Double off = find(timings, cycle, Contender.plain(f), "stub", t);
                    Double on = find(timings, cycle, Contender.withDiagnostics(f), "stub", t);
                    if (off != null && on != null) {
                        sb.append(String.format(Locale.ROOT, "  %s %+.0f", f.label, on - off));
                    }
                }
                Double none = find(timings, cycle, Contender.OURS_NO_STACKS, "stub", t);
                Double ours = find(timings, cycle, Contender.OURS, "stub", t);
                if (none != null && ours != null) {
                    sb.append(String.format(Locale.ROOT, "  (ours' 1-in-64 stacks %+.0f over none)", ours - none));
                }
                out.println(sb);
            }
        }
    }

    /** The targets, each met or missed, with the figures they were judged on. */
    static void printTargets(PrintStream out, List<Timing> timings, Map<Contender, Map<Cycle, Double>> clockReads,
                             List<List<Fairness.Run>> fairness, Fairness.Settings s) {
        out.println("targets:");
        Double reads = clockReads.getOrDefault(Contender.OURS, Map.of()).get(Cycle.BORROW_RETURN);
        if (reads != null) {
            out.printf(Locale.ROOT, "  at most one clock read per cycle: ours %.2f per borrow/return cycle: %s%n", reads,
                    reads <= 1 ? "met" : "MISSED");
        }
        Double ours = find(timings, Cycle.BORROW_RETURN, Contender.OURS, "stub", 1);
        if (ours != null) {
            Contender fastest = null;
            double best = Double.POSITIVE_INFINITY;
            for (Contender c : PLAIN) {
                Double v = find(timings, Cycle.BORROW_RETURN, c, "stub", 1);
                if (c != Contender.OURS && v != null && v < best) {
                    best = v;
                    fastest = c;
                }
            }
            if (fastest != null) {
                out.printf(Locale.ROOT, "  cycle (borrow/return, stub, 1 thread) at least as fast as the fastest peer: ours %.1f ns,"
                        + " %s %.1f ns: %s%n", ours, fastest.label, best, ours <= best ? "met" : "MISSED");
            }
            out.printf(Locale.ROOT, "  cycle <= 35 ns: ours %.1f ns: %s%n", ours, ours <= 35 ? "met" : "MISSED");
            Double none = find(timings, Cycle.BORROW_RETURN, Contender.OURS_NO_STACKS, "stub", 1);
            Double agroal = find(timings, Cycle.BORROW_RETURN, Contender.AGROAL, "stub", 1);
            if (none != null && agroal != null) {
                double added = ours - Math.min(none, agroal);
                out.printf(Locale.ROOT, "  always-on diagnostics <= 50 ns per cycle: ours %.1f ns with them, %.1f ns without sampled"
                                + " stacks, Agroal (no holder tracking) %.1f ns: at most %+.1f ns added: %s%n",
                        ours, none, agroal, added, added <= 50 ? "met" : "MISSED");
            }
        }
        for (List<Fairness.Run> runs : fairness) {
            if (runs.isEmpty() || runs.getFirst().contender() != Contender.OURS) {
                continue;
            }
            double ratio = Fairness.median(runs.stream().mapToDouble(Fairness.Run::p99OverLittle).toArray());
            double p99 = Fairness.median(runs.stream().mapToDouble(Fairness.Run::p99Micros).toArray()) / 1e3;
            double little = Fairness.median(runs.stream().mapToDouble(Fairness.Run::littleMicros).toArray()) / 1e3;
            long timeouts = runs.stream().mapToLong(Fairness.Run::timeouts).sum();
            out.printf(Locale.ROOT, "  fairness at %.0fx oversubscription, p99 wait <= 2.5x the Little's-law mean: p99 %.2f ms,"
                            + " mean %.2f ms, %.2fx: %s%n", s.oversubscription(), p99, little, ratio, ratio <= 2.5 ? "met" : "MISSED");
            out.printf(Locale.ROOT, "  fairness, no timeouts: %d in %d run(s): %s%n", timeouts, runs.size(), timeouts == 0 ? "met" : "MISSED");
        }
    }
}
