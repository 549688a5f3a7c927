package dev.deepcuts.bench.bloom;

import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

import org.fastfilter.bloom.BlockedBloom;
import org.fastfilter.bloom.Bloom;
import org.fastfilter.xor.Xor8;
import org.fastfilter.xor.XorFuse8;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.deepcuts.bloom.BinaryFuseFilter;
import dev.deepcuts.bloom.BlockedBloomFilter;
import dev.deepcuts.bloom.BloomFilter;
import dev.deepcuts.bloom.SplitBlockBloomFilter;

/**
 * Lookup speed, in nanoseconds per lookup: our four filters and the five peer filters, each holding
 * the same {@code keys} members, asked about members ({@code lookup=positive}) or about keys that
 * were never added ({@code lookup=negative}).
 *
 * <p>Run it with the rest of the Bloom benchmarks, ours beside the peers with the ratios:
 * <pre>{@code ./deepcuts bench bloom            # 10M and 100M keys, minutes
 * ./deepcuts bench bloom --quick    # 1M keys, about a minute}</pre>
 * or alone with JMH's own runner, from the repository root after a build:
 * <pre>{@code java -cp "cli/target/deepcuts-cli.jar:cli/target/lib/*" org.openjdk.jmh.Main \
 *     'dev.deepcuts.bench.bloom.LookupBench' -p keys=10000000 -p lookup=negative}</pre>
 *
 * <p>What is measured, and how it is kept honest:
 * <ul>
 *   <li>Each invocation looks up {@value #BATCH} keys read in order from a precomputed array of
 *       {@link Keys#PROBES} keys (8 MiB), indexed with a mask, so no key is computed in the timed
 *       loop and each lookup is of a different key; the array is read sequentially, so its own
 *       cost is a prefetched stream, while the filter is probed at random.</li>
 *   <li>Positive probes are members drawn at random; negative probes are keys that are members of
 *       no set ({@link Keys}). The setup checks that every positive probe is found, so a filter
 *       that lost keys cannot post a fast time.</li>
 *   <li>The number of {@code true} answers is returned to JMH, which consumes it: every lookup's
 *       result is used, so the JIT can neither drop nor hoist one.</li>
 *   <li>One fork per contender: each filter is the only one its JVM ever calls, so no call site
 *       is polluted by another filter's profile. Each method calls the filter's concrete class.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LookupBench {

    /** Lookups per invocation. */
    static final int BATCH = 1024;
    private static final int MASK = Keys.PROBES - 1;

    /** The set size and the kind of lookup, and the keys to look up. */
    @State(Scope.Benchmark)
    public static class Workload {
        /** How many keys each filter holds. */
        @Param("1000000")
        public int keys;

        /** {@code positive}: look up members; {@code negative}: look up keys never added. */
        @Param({"positive", "negative"})
        public String lookup;

        long[] probes;
        int cursor;

        @Setup(Level.Trial)
        public void probes() {
            probes = switch (lookup) {
                case "positive" -> Keys.positiveProbes(keys, Keys.PROBES);
                case "negative" -> Keys.negativeProbes(Keys.PROBES);
                default -> throw new IllegalArgumentException("lookup must be positive or negative; got " + lookup);
            };
        }

        /** Fails the run if a filter answers false for a member: no false negatives, ever. */
        void checkNoFalseNegatives(String name, LongPredicate filter) {
            if (!lookup.equals("positive")) {
                return;
            }
            for (long probe : probes) {
                if (!filter.test(probe)) {
                    throw new IllegalStateException(name + " lost key " + probe + " (a false negative)");
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // the filters, one state each, so a fork builds only the filter it measures

    @State(Scope.Benchmark)
    public static class OursBloom {
        BloomFilter filter;

        @Setup(Level.Trial)
        public void build(Workload w) {
            filter = Builds.bloomFilter(Keys.members(w.keys));
            w.checkNoFalseNegatives("BloomFilter", filter::mightContain);
        }
    }

    @State(Scope.Benchmark)
    public static class OursBlocked {
        BlockedBloomFilter filter;

        @Setup(Level.Trial)
        public void build(Workload w) {
            filter = Builds.blockedBloomFilter(Keys.members(w.keys));
            w.checkNoFalseNegatives("BlockedBloomFilter", filter::mightContain);
        }
    }

    @State(Scope.Benchmark)
    public static class OursSplitBlock {
        SplitBlockBloomFilter filter;

        @Setup(Level.Trial)
        public void build(Workload w) {
            filter = Builds.splitBlockBloomFilter(Keys.members(w.keys));
            w.checkNoFalseNegatives("SplitBlockBloomFilter", filter::mightContain);
        }
    }

    @State(Scope.Benchmark)
    public static class OursBinaryFuse8 {
        BinaryFuseFilter filter;

        @Setup(Level.Trial)
        public void build(Workload w) {
            filter = Builds.binaryFuse8(Keys.members(w.keys));
            w.checkNoFalseNegatives("BinaryFuseFilter", filter::mightContain);
        }
    }

    @State(Scope.Benchmark)
    public static class Guava {
        com.google.common.hash.BloomFilter<Long> filter;

        @Setup(Level.Trial)
        public void build(Workload w) {
            filter = Builds.guava(Keys.members(w.keys));
            w.checkNoFalseNegatives("Guava", filter::mightContain);
        }
    }

    @State(Scope.Benchmark)
    public static class FastFilterBloom {
        Bloom filter;

        @Setup(Level.Trial)
        public void build(Workload w) {
            filter = Builds.fastFilterBloom(Keys.members(w.keys));
            w.checkNoFalseNegatives("FastFilter Bloom", filter::mayContain);
        }
    }

    @State(Scope.Benchmark)
    public static class FastFilterBlockedBloom {
        BlockedBloom filter;

        @Setup(Level.Trial)
        public void build(Workload w) {
            filter = Builds.fastFilterBlockedBloom(Keys.members(w.keys), Builds.blockedBitsPerKey(w.keys));
            w.checkNoFalseNegatives("FastFilter BlockedBloom", filter::mayContain);
        }
    }

    @State(Scope.Benchmark)
    public static class FastFilterXor8 {
        Xor8 filter;

        @Setup(Level.Trial)
        public void build(Workload w) {
            filter = Builds.fastFilterXor8(Keys.members(w.keys));
            w.checkNoFalseNegatives("FastFilter Xor8", filter::mayContain);
        }
    }

    @State(Scope.Benchmark)
    public static class FastFilterXorFuse8 {
        XorFuse8 filter;

        @Setup(Level.Trial)
        public void build(Workload w) {
            filter = Builds.fastFilterXorFuse8(Keys.members(w.keys));
            w.checkNoFalseNegatives("FastFilter XorFuse8", filter::mayContain);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // the benchmarks: the same loop for every filter

    // region lookup-loop
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int bloomFilter(Workload w, OursBloom s) {
        BloomFilter filter = s.filter;
        long[] probes = w.probes;
        int at = w.cursor;
        int found = 0;
        for (int i = 0; i < BATCH; i++) {
            if (filter.mightContain(probes[(at + i) & MASK])) {
                found++;
            }
        }
        w.cursor = at + BATCH;
        return found;
    }
    // endregion lookup-loop

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int blockedBloomFilter(Workload w, OursBlocked s) {
        BlockedBloomFilter filter = s.filter;
        long[] probes = w.probes;
        int at = w.cursor;
        int found = 0;
        for (int i = 0; i < BATCH; i++) {
            if (filter.mightContain(probes[(at + i) & MASK])) {
                found++;
            }
        }
        w.cursor = at + BATCH;
        return found;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int splitBlockBloomFilter(Workload w, OursSplitBlock s) {
        SplitBlockBloomFilter filter = s.filter;
        long[] probes = w.probes;
        int at = w.cursor;
        int found = 0;
        for (int i = 0; i < BATCH; i++) {
            if (filter.mightContain(probes[(at + i) & MASK])) {
                found++;
            }
        }
        w.cursor = at + BATCH;
        return found;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int binaryFuse8(Workload w, OursBinaryFuse8 s) {
        BinaryFuseFilter filter = s.filter;
        long[] probes = w.probes;
        int at = w.cursor;
        int found = 0;
        for (int i = 0; i < BATCH; i++) {
            if (filter.mightContain(probes[(at + i) & MASK])) {
                found++;
            }
        }
        w.cursor = at + BATCH;
        return found;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int guava(Workload w, Guava s) {
        com.google.common.hash.BloomFilter<Long> filter = s.filter;
        long[] probes = w.probes;
        int at = w.cursor;
        int found = 0;
        for (int i = 0; i < BATCH; i++) {
            if (filter.mightContain(probes[(at + i) & MASK])) { // boxed: Guava's API takes a Long
                found++;
            }
        }
        w.cursor = at + BATCH;
        return found;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int fastFilterBloom(Workload w, FastFilterBloom s) {
        Bloom filter = s.filter;
        long[] probes = w.probes;
        int at = w.cursor;
        int found = 0;
        for (int i = 0; i < BATCH; i++) {
            if (filter.mayContain(probes[(at + i) & MASK])) {
                found++;
            }
        }
        w.cursor = at + BATCH;
        return found;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int fastFilterBlockedBloom(Workload w, FastFilterBlockedBloom s) {
        BlockedBloom filter = s.filter;
        long[] probes = w.probes;
        int at = w.cursor;
        int found = 0;
        for (int i = 0; i < BATCH; i++) {
            if (filter.mayContain(probes[(at + i) & MASK])) {
                found++;
            }
        }
        w.cursor = at + BATCH;
        return found;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int fastFilterXor8(Workload w, FastFilterXor8 s) {
        Xor8 filter = s.filter;
        long[] probes = w.probes;
        int at = w.cursor;
        int found = 0;
        for (int i = 0; i < BATCH; i++) {
            if (filter.mayContain(probes[(at + i) & MASK])) {
                found++;
            }
        }
        w.cursor = at + BATCH;
        return found;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int fastFilterXorFuse8(Workload w, FastFilterXorFuse8 s) {
        XorFuse8 filter = s.filter;
        long[] probes = w.probes;
        int at = w.cursor;
        int found = 0;
        for (int i = 0; i < BATCH; i++) {
            if (filter.mayContain(probes[(at + i) & MASK])) {
                found++;
            }
        }
        w.cursor = at + BATCH;
        return found;
    }
}
