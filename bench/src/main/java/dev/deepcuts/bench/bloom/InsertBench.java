package dev.deepcuts.bench.bloom;

import java.util.concurrent.TimeUnit;

import org.fastfilter.bloom.BlockedBloom;
import org.fastfilter.bloom.Bloom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.deepcuts.bloom.BlockedBloomFilter;
import dev.deepcuts.bloom.BloomFilter;
import dev.deepcuts.bloom.SplitBlockBloomFilter;

/**
 * Insert speed of the filters that accept keys one at a time: create a filter sized for
 * {@code keys} keys at 1% and add every key, ours beside Guava and FastFilter. JMH reports the time
 * of one whole fill; {@link BloomBench} divides it by {@code keys} and prints nanoseconds per key.
 *
 * <p>Run it with the rest of the Bloom benchmarks, ours beside the peers with the ratios:
 * <pre>{@code ./deepcuts bench bloom            # 10M keys
 * ./deepcuts bench bloom --quick    # 1M keys}</pre>
 * or alone with JMH's own runner, from the repository root after a build:
 * <pre>{@code java -cp "cli/target/deepcuts-cli.jar:cli/target/lib/*" org.openjdk.jmh.Main \
 *     'dev.deepcuts.bench.bloom.InsertBench' -p keys=10000000}</pre>
 *
 * <p>Every fill starts from a new, empty filter (the allocation of its zeroed array, a small part
 * of the cost, is included for every contender alike), and the filled filter is returned to JMH,
 * so no add can be dropped as dead code. The keys are distinct and precomputed ({@link Keys}).
 * FastFilter's filters have no public "empty filter" constructor; their {@code construct(keys, ·)}
 * is exactly allocate-then-add-each-key, the same work.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InsertBench {

    /** The keys to insert, and the peers' sizing, computed once per fork. */
    @State(Scope.Benchmark)
    public static class Members {
        /** How many keys to insert. */
        @Param("1000000")
        public int keys;

        long[] members;
        int fastFilterBlockedBitsPerKey;

        @Setup(Level.Trial)
        public void setUp() {
            members = Keys.members(keys);
            fastFilterBlockedBitsPerKey = Builds.blockedBitsPerKey(keys);
        }
    }

    @Benchmark
    public BloomFilter bloomFilter(Members m) {
        return Builds.bloomFilter(m.members);
    }

    @Benchmark
    public BlockedBloomFilter blockedBloomFilter(Members m) {
        return Builds.blockedBloomFilter(m.members);
    }

    @Benchmark
    public SplitBlockBloomFilter splitBlockBloomFilter(Members m) {
        return Builds.splitBlockBloomFilter(m.members);
    }

    @Benchmark
    public com.google.common.hash.BloomFilter<Long> guava(Members m) {
        return Builds.guava(m.members);
    }

    @Benchmark
    public Bloom fastFilterBloom(Members m) {
        return Builds.fastFilterBloom(m.members);
    }

    @Benchmark
    public BlockedBloom fastFilterBlockedBloom(Members m) {
        return Builds.fastFilterBlockedBloom(m.members, m.fastFilterBlockedBitsPerKey);
    }
}
