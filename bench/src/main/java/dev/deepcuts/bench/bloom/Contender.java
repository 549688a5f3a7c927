package dev.deepcuts.bench.bloom;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * Every filter in the Bloom benchmarks, ours and the peers', with the name of its {@code @Benchmark}
 * method (the same in {@link InsertBench}, {@link BuildBench} and {@link LookupBench}), the name
 * printed in the table, and which peers each of ours is set beside.
 */
enum Contender {
    BLOOM_FILTER("bloomFilter", "BloomFilter", true, true),
    BLOCKED_BLOOM_FILTER("blockedBloomFilter", "BlockedBloomFilter", true, true),
    SPLIT_BLOCK_BLOOM_FILTER("splitBlockBloomFilter", "SplitBlockBloomFilter", true, true),
    BINARY_FUSE_8("binaryFuse8", "BinaryFuseFilter 8-bit", true, false),
    GUAVA("guava", "Guava", false, true),
    FASTFILTER_BLOOM("fastFilterBloom", "FastFilter Bloom", false, true),
    FASTFILTER_BLOCKED_BLOOM("fastFilterBlockedBloom", "FastFilter BlockedBloom", false, true),
    FASTFILTER_XOR8("fastFilterXor8", "FastFilter Xor8", false, false),
    FASTFILTER_XOR_FUSE8("fastFilterXorFuse8", "FastFilter XorFuse8", false, false);

    /** The {@code @Benchmark} method that measures this filter, in every bench class. */
    final String method;
    /** The name in the result table; a peer's is its column. */
    final String label;
    /** True for the chapter's filters, false for the peers. */
    final boolean ours;
    /** True for filters that take keys one at a time (an insert case), false for static ones (a build case). */
    final boolean mutable;

    Contender(String method, String label, boolean ours, boolean mutable) {
        this.method = method;
        this.label = label;
        this.ours = ours;
        this.mutable = mutable;
    }

    /** The peers each of our filters is measured against: the natural counterpart of its design. */
    List<Contender> peers() {
        return switch (this) {
            case BLOOM_FILTER -> List.of(GUAVA, FASTFILTER_BLOOM);
            case BLOCKED_BLOOM_FILTER, SPLIT_BLOCK_BLOOM_FILTER -> List.of(FASTFILTER_BLOCKED_BLOOM);
            case BINARY_FUSE_8 -> List.of(FASTFILTER_XOR8, FASTFILTER_XOR_FUSE8);
            default -> throw new IllegalStateException(label + " is a peer, not one of ours");
        };
    }

    /** Our filters, in table order. */
    static List<Contender> oursInOrder() {
        return Arrays.stream(values()).filter(c -> c.ours).toList();
    }

    /** The contender whose benchmark method is {@code method}. */
    static Contender byMethod(String method) {
        for (Contender c : values()) {
            if (c.method.equals(method)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no contender has a benchmark method named '" + method + "'");
    }

    /** A built filter seen through one interface, and its payload size: for accuracy, never for timing. */
    record Built(LongPredicate mightContain, long bits) {}

    /** Builds this filter from {@code keys} with the same code the benchmarks use ({@link Builds}). */
    Built build(long[] keys) {
        return switch (this) {
            case BLOOM_FILTER -> {
                var f = Builds.bloomFilter(keys);
                yield new Built(f::mightContain, f.bitSize());
            }
            case BLOCKED_BLOOM_FILTER -> {
                var f = Builds.blockedBloomFilter(keys);
                yield new Built(f::mightContain, f.bitSize());
            }
            case SPLIT_BLOCK_BLOOM_FILTER -> {
                var f = Builds.splitBlockBloomFilter(keys);
                yield new Built(f::mightContain, f.bitSize());
            }
            case BINARY_FUSE_8 -> {
                var f = Builds.binaryFuse8(keys);
                yield new Built(f::mightContain, f.bitSize());
            }
            case GUAVA -> {
                var f = Builds.guava(keys);
                yield new Built(f::mightContain, Builds.guavaBits(f));
            }
            case FASTFILTER_BLOOM -> {
                var f = Builds.fastFilterBloom(keys);
                yield new Built(f::mayContain, f.getBitCount());
            }
            case FASTFILTER_BLOCKED_BLOOM -> {
                var f = Builds.fastFilterBlockedBloom(keys, Builds.blockedBitsPerKey(keys.length));
                yield new Built(f::mayContain, f.getBitCount());
            }
            case FASTFILTER_XOR8 -> {
                var f = Builds.fastFilterXor8(keys);
                yield new Built(f::mayContain, f.getBitCount());
            }
            case FASTFILTER_XOR_FUSE8 -> {
                var f = Builds.fastFilterXorFuse8(keys);
                yield new Built(f::mayContain, f.getBitCount());
            }
        };
    }

    /** Bits per key and the measured false-positive rate of one filter. */
    record Accuracy(double bitsPerKey, double falsePositiveRate) {}

    /**
     * Builds this filter from {@code members}, checks that it finds every one of them (throws if
     * not: a filter with false negatives is broken, whatever its speed), and counts how many of
     * {@code nonMembers} it wrongly reports.
     */
    Accuracy measure(long[] members, long[] nonMembers) {
        Built built = build(members);
        for (long key : members) {
            if (!built.mightContain().test(key)) {
                throw new IllegalStateException(label + " lost key " + key + " (a false negative)");
            }
        }
        long falsePositives = 0;
        for (long key : nonMembers) {
            if (built.mightContain().test(key)) {
                falsePositives++;
            }
        }
        return new Accuracy((double) built.bits() / members.length, (double) falsePositives / nonMembers.length);
    }
}
