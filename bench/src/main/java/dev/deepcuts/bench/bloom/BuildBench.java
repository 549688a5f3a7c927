package dev.deepcuts.bench.bloom;

import java.util.concurrent.TimeUnit;

import org.fastfilter.xor.Xor8;
import org.fastfilter.xor.XorFuse8;
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

import dev.deepcuts.bloom.BinaryFuseFilter;

/**
 * Build speed of the static filters, which are built once from all their keys: our 8-bit binary
 * fuse filter beside FastFilter's {@code Xor8} and {@code XorFuse8}. JMH reports the time of one
 * whole build; {@link BloomBench} divides it by {@code keys} and prints nanoseconds per key.
 *
 * <p>Run it with the rest of the Bloom benchmarks, ours beside the peers with the ratios:
 * <pre>{@code ./deepcuts bench bloom            # 10M keys
 * ./deepcuts bench bloom --quick    # 1M keys}</pre>
 * or alone with JMH's own runner, from the repository root after a build:
 * <pre>{@code java -cp "cli/target/deepcuts-cli.jar:cli/target/lib/*" org.openjdk.jmh.Main \
 *     'dev.deepcuts.bench.bloom.BuildBench' -p keys=10000000}</pre>
 *
 * <p>Each build starts from the same distinct, precomputed keys ({@link Keys}) and its filter is
 * returned to JMH, so it cannot be dropped. A build that has to retry with a new seed (the peeling
 * failed) pays for the retry, as a user would.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BuildBench {

    /** The keys to build from, computed once per fork. */
    @State(Scope.Benchmark)
    public static class Members {
        /** How many keys to build from. */
        @Param("1000000")
        public int keys;

        long[] members;

        @Setup(Level.Trial)
        public void setUp() {
            members = Keys.members(keys);
        }
    }

    @Benchmark
    public BinaryFuseFilter binaryFuse8(Members m) {
        return Builds.binaryFuse8(m.members);
    }

    @Benchmark
    public Xor8 fastFilterXor8(Members m) {
        return Builds.fastFilterXor8(m.members);
    }

    @Benchmark
    public XorFuse8 fastFilterXorFuse8(Members m) {
        return Builds.fastFilterXorFuse8(m.members);
    }
}
