package dev.deepcuts.bench.bloom;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import dev.deepcuts.core.Bench;
import dev.deepcuts.core.BenchContext;
import dev.deepcuts.core.BenchResult;
import dev.deepcuts.core.BenchResult.Better;
import dev.deepcuts.core.BenchResult.Row;

/**
 * Chapter 5's filters against Guava and FastFilter, measured in the same JMH run: insert and build
 * time per key, positive and negative lookup time, bits per key and the measured false-positive
 * rate, every case with our figure beside each peer's.
 *
 * <p>Run it with {@code ./deepcuts bench bloom} (10M keys, and 100M for lookups; about a quarter of
 * an hour on 2 cores, writes {@code book/results/bench-bloom.json}) or {@code ./deepcuts bench bloom
 * --quick} (1M keys, about a minute, writes under {@code target/deepcuts/}).
 *
 * <p>Who is set beside whom: our {@code BloomFilter} beside Guava's and FastFilter's {@code Bloom}
 * (same bits per key, same k); our {@code BlockedBloomFilter} and {@code SplitBlockBloomFilter}
 * beside FastFilter's {@code BlockedBloom}; our 8-bit {@code BinaryFuseFilter} beside FastFilter's
 * {@code Xor8} and {@code XorFuse8} (FastFilter's {@code XorBinaryFuse8} is in its repository but
 * not in any release on Maven Central, whose latest is 1.0.2; {@code XorFuse8} is the fuse filter
 * it grew from). How each is sized is in {@link Builds}.
 */
public final class BloomBench implements Bench {

    /*
     * How it runs.
     *
     * First, in this JVM and untimed, every filter is built from the same members and asked about
     * every member (a false negative fails the bench) and about as many non-members; that gives the
     * bits-per-key and false-positive rows, so the reader sees each speed at its accuracy.
     *
     * Then JMH runs each plan: one JMH run per set size, every contender of every case in it, one
     * fork per benchmark (so a filter's JIT profile is never polluted by another's) with a heap
     * sized for the set: keys, filter and the xor filters' build arrays. JMH's results come back as
     * RunResults and become Timings (case, contender, keys, figure in the table's unit), and the
     * Timings become rows: one per case and one of ours, with its peers beside it.
     */

    /** One JMH run: a set size, the cases measured at it, and the heap of its forks. */
    record Plan(int keys, Set<BenchCase> cases, String heap) {}

    /** How long and how big: quick for CI, full for the chapter. */
    record Settings(List<Plan> plans, int accuracyKeys, int nonMembers,
                    int warmupIterations, TimeValue warmupTime, int measurementIterations, TimeValue measurementTime) {

        /** How many benchmarks (forks) the plans run. */
        int benchmarkCount() {
            int count = 0;
            for (Plan p : plans) {
                for (BenchCase c : p.cases()) {
                    for (Contender k : Contender.values()) {
                        if (c.appliesTo(k)) {
                            count++;
                        }
                    }
                }
            }
            return count;
        }
    }

    private static final Set<BenchCase> LOOKUPS = EnumSet.of(BenchCase.POSITIVE_LOOKUP, BenchCase.NEGATIVE_LOOKUP);

    static final Settings QUICK = new Settings(
            List.of(new Plan(1_000_000, EnumSet.allOf(BenchCase.class), "1g")),
            1_000_000, 1_000_000,
            1, TimeValue.milliseconds(400), 2, TimeValue.milliseconds(200));

    static final Settings FULL = new Settings(
            List.of(new Plan(10_000_000, EnumSet.allOf(BenchCase.class), "3g"),
                    // 100M keys: 800 MB of keys, and the xor filters' build needs ~25 bytes per key more
                    new Plan(100_000_000, LOOKUPS, "6g")),
            10_000_000, 10_000_000,
            3, TimeValue.seconds(1), 5, TimeValue.seconds(1));

    @Override
    public String chapter() {
        return "bloom";
    }

    @Override
    public String title() {
        return "our Bloom, blocked, split-block and binary fuse filters vs Guava and FastFilter (JMH)";
    }

    @Override
    public BenchResult run(BenchContext context) throws Exception {
        Settings settings = context.quick() ? QUICK : FULL;
        PrintStream out = context.out();

        Map<Contender, Contender.Accuracy> accuracy = measureAccuracy(settings, out);

        out.printf(Locale.ROOT, "timing with JMH: %d benchmarks, 1 fork each, warmup %d x %s, measurement %d x %s%n",
                settings.benchmarkCount(), settings.warmupIterations(), settings.warmupTime(),
                settings.measurementIterations(), settings.measurementTime());
        var progress = new ProgressFormat(out, settings.benchmarkCount());
        List<Timing> timings = new ArrayList<>();
        for (Plan plan : settings.plans()) {
            Collection<RunResult> results;
            try {
                results = new Runner(options(settings, plan), progress).run();
            } catch (org.openjdk.jmh.runner.RunnerException e) {
                if (String.valueOf(e.getMessage()).contains("JMH lock")) {
                    // two JMH runs on one machine would measure each other: JMH refuses, and so do we
                    throw new dev.deepcuts.core.UsageException("another JMH run is in progress on this machine (it holds "
                            + System.getProperty("java.io.tmpdir") + "/jmh.lock); wait for it to finish and run the bench again");
                }
                throw e;
            }
            for (RunResult r : results) {
                timings.add(Timing.of(r));
            }
        }
        String command = "./deepcuts bench bloom" + (context.quick() ? " --quick" : "");
        return new BenchResult(chapter(), command, BenchResult.describeMachine(), rows(timings, accuracy, settings.accuracyKeys()));
    }

    // ---------------------------------------------------------------------------------------------
    // accuracy, untimed

    private static Map<Contender, Contender.Accuracy> measureAccuracy(Settings settings, PrintStream out) {
        out.printf(Locale.ROOT, "accuracy: each filter built from %s members, asked about all of them and %s non-members%n",
                count(settings.accuracyKeys()), count(settings.nonMembers()));
        long[] members = Keys.members(settings.accuracyKeys());
        long[] nonMembers = Keys.negativeProbes(settings.nonMembers());
        Map<Contender, Contender.Accuracy> accuracy = new EnumMap<>(Contender.class);
        for (Contender c : Contender.values()) {
            long start = System.nanoTime();
            var a = c.measure(members, nonMembers);
            accuracy.put(c, a);
            out.printf(Locale.ROOT, "  %-24s %6.2f bits/key, false positives %.4f%%, no false negatives (%.1f s)%n",
                    c.label, a.bitsPerKey(), a.falsePositiveRate() * 100, (System.nanoTime() - start) / 1e9);
        }
        return accuracy;
    }

    // ---------------------------------------------------------------------------------------------
    // JMH

    /** The JMH options of one plan: only its cases' classes, its set size, its heap, one fork. */
    static Options options(Settings settings, Plan plan) {
        Set<String> classes = new TreeSet<>();
        for (BenchCase c : plan.cases()) {
            classes.add(c.benchClass);
        }
        var builder = new OptionsBuilder()
                .include("^" + Pattern.quote(BloomBench.class.getPackageName() + ".") + "(" + String.join("|", classes) + ")\\.")
                .param("keys", Integer.toString(plan.keys()))
                .forks(1)
                .warmupForks(0)
                .warmupIterations(settings.warmupIterations())
                .warmupTime(settings.warmupTime())
                .measurementIterations(settings.measurementIterations())
                .measurementTime(settings.measurementTime())
                // set explicitly, so the forks do not inherit the CLI's own JVM options; JMH 1.37
                // uses sun.misc.Unsafe, which JDK 24+ warns about on every fork's first use
                .jvmArgs("-Xms" + plan.heap(), "-Xmx" + plan.heap(), "--sun-misc-unsafe-memory-access=allow")
                .shouldFailOnError(true);
        Set<BenchCase> lookups = EnumSet.copyOf(plan.cases());
        lookups.retainAll(LOOKUPS);
        if (lookups.size() == 1) {
            builder.param("lookup", lookups.contains(BenchCase.POSITIVE_LOOKUP) ? "positive" : "negative");
        }
        return builder.build();
    }

    /**
     * One JMH result in the table's terms.
     *
     * @param benchCase the case
     * @param contender the filter
     * @param keys      the set size
     * @param value     nanoseconds per key (insert, build) or per lookup
     * @param error     JMH's 99.9% confidence half-width, same unit (NaN if too few samples)
     */
    record Timing(BenchCase benchCase, Contender contender, int keys, double value, double error) {

        static Timing of(RunResult result) {
            var params = result.getParams();
            var primary = result.getPrimaryResult();
            return of(params.getBenchmark(), params.getParam("keys"), params.getParam("lookup"),
                    primary.getScore(), primary.getScoreError(), primary.getScoreUnit());
        }

        /**
         * From JMH's terms: {@code benchmark} is the method's full name
         * ({@code dev.deepcuts.bench.bloom.LookupBench.guava}), the score is in {@code unit}
         * ({@code ns/op}, {@code ms/op}, ...) per invocation, and {@code OperationsPerInvocation}
         * has already been divided out.
         */
        static Timing of(String benchmark, String keys, String lookup, double score, double error, String unit) {
            int dot = benchmark.lastIndexOf('.');
            String method = benchmark.substring(dot + 1);
            String cls = benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
            BenchCase benchCase = BenchCase.of(cls, lookup);
            int n = Integer.parseInt(keys);
            double scale = nanosPer(unit) / (benchCase.perKey() ? n : 1);
            return new Timing(benchCase, Contender.byMethod(method), n, score * scale, error * scale);
        }

        private static double nanosPer(String unit) {
            return switch (unit) {
                case "ns/op" -> 1;
                case "us/op" -> 1e3;
                case "ms/op" -> 1e6;
                case "s/op" -> 1e9;
                default -> throw new IllegalArgumentException("expected a time per operation, got unit " + unit);
            };
        }

        /** "positive lookup, Guava, 10M keys" */
        String describe() {
            return benchCase.label + ", " + contender.label + ", " + count(keys) + " keys";
        }
    }

    // ---------------------------------------------------------------------------------------------
    // rows

    /**
     * The result rows: for every timed case and set size, one row per filter of ours with its
     * peers' figures beside it; then bits per key and the false-positive rate, measured at
     * {@code accuracyKeys}. A figure that was not measured is left out of its row.
     */
    static List<Row> rows(List<Timing> timings, Map<Contender, Contender.Accuracy> accuracy, int accuracyKeys) {
        record Key(BenchCase benchCase, Contender contender, int keys) {}
        Map<Key, Double> figure = new LinkedHashMap<>();
        TreeSet<Integer> sizes = new TreeSet<>();
        for (Timing t : timings) {
            figure.put(new Key(t.benchCase(), t.contender(), t.keys()), t.value());
            sizes.add(t.keys());
        }
        List<Row> rows = new ArrayList<>();
        for (BenchCase c : BenchCase.values()) {
            for (int n : sizes) {
                for (Contender ours : Contender.oursInOrder()) {
                    Double mine = figure.get(new Key(c, ours, n));
                    if (mine == null) {
                        continue;
                    }
                    Map<String, Double> peers = new LinkedHashMap<>();
                    for (Contender peer : ours.peers()) {
                        Double theirs = figure.get(new Key(c, peer, n));
                        if (theirs != null) {
                            peers.put(peer.label, theirs);
                        }
                    }
                    rows.add(new Row(c.label + ", " + ours.label + ", " + count(n) + " keys", c.unit, Better.LOWER, mine, peers));
                }
            }
        }
        accuracyRows(rows, accuracy, accuracyKeys, "bits per key", "bits/key", Contender.Accuracy::bitsPerKey);
        accuracyRows(rows, accuracy, accuracyKeys, "false-positive rate", "ratio", Contender.Accuracy::falsePositiveRate);
        return rows;
    }

    private static void accuracyRows(List<Row> rows, Map<Contender, Contender.Accuracy> accuracy, int keys,
                                     String name, String unit, java.util.function.ToDoubleFunction<Contender.Accuracy> metric) {
        for (Contender ours : Contender.oursInOrder()) {
            var mine = accuracy.get(ours);
            if (mine == null) {
                continue;
            }
            Map<String, Double> peers = new LinkedHashMap<>();
            for (Contender peer : ours.peers()) {
                var theirs = accuracy.get(peer);
                if (theirs != null) {
                    peers.put(peer.label, metric.applyAsDouble(theirs));
                }
            }
            rows.add(new Row(name + ", " + ours.label + ", " + count(keys) + " keys", unit, Better.LOWER, metric.applyAsDouble(mine), peers));
        }
    }

    /** 1000000 as "1M", 100000 as "100K"; other numbers as they are. */
    static String count(long n) {
        if (n >= 1_000_000 && n % 1_000_000 == 0) {
            return n / 1_000_000 + "M";
        }
        if (n >= 1_000 && n % 1_000 == 0) {
            return n / 1_000 + "K";
        }
        return Long.toString(n);
    }
}
