package dev.deepcuts.bench.bloom;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

import com.google.common.hash.Funnels;
import org.fastfilter.bloom.BlockedBloom;
import org.fastfilter.bloom.Bloom;
import org.fastfilter.xor.Xor8;
import org.fastfilter.xor.XorFuse8;

import dev.deepcuts.bloom.BinaryFuseFilter;
import dev.deepcuts.bloom.BlockedBloomFilter;
import dev.deepcuts.bloom.BloomFilter;
import dev.deepcuts.bloom.SplitBlockBloomFilter;

/**
 * How each contender is built from a set of keys: one method per filter, called by the timed
 * insert and build benchmarks, by the lookup benchmarks' setup and by the accuracy measurement, so
 * all three measure the very same filter.
 *
 * <p>Sizing, so that speed is compared at equal accuracy or equal memory:
 * <ul>
 *   <li>our Bloom filters and Guava's are created for n keys at {@link #FPP} = 1%; Guava's
 *       classic filter then takes the same m = −n·ln ε / ln²2 bits and k = 7 as ours;</li>
 *   <li>FastFilter's {@code Bloom} takes bits per key, not a rate: we give it exactly our
 *       {@link BloomFilter}'s bits per key (9.59), so it picks the same k = 7;</li>
 *   <li>FastFilter's {@code BlockedBloom} takes a whole number of bits per key: we give it our
 *       {@link BlockedBloomFilter}'s, rounded to the nearest integer;</li>
 *   <li>the xor and fuse filters have no knob: 8-bit fingerprints, about 1/256 = 0.39%.</li>
 * </ul>
 */
final class Builds {

    /** The target false-positive probability of every Bloom filter in the benchmarks. */
    static final double FPP = 0.01;

    private Builds() {}

    // ---------------------------------------------------------------------------------------------
    // ours

    /** Our classic filter: create for n at 1%, then add every key. */
    static BloomFilter bloomFilter(long[] keys) {
        var filter = BloomFilter.create(keys.length, FPP);
        for (long key : keys) {
            filter.add(key);
        }
        return filter;
    }

    /** Our cache-line blocked filter: create for n at 1%, then add every key. */
    static BlockedBloomFilter blockedBloomFilter(long[] keys) {
        var filter = BlockedBloomFilter.create(keys.length, FPP);
        for (long key : keys) {
            filter.add(key);
        }
        return filter;
    }

    /** Our split-block (Parquet) filter: create for n at 1%, then add every key. */
    static SplitBlockBloomFilter splitBlockBloomFilter(long[] keys) {
        var filter = SplitBlockBloomFilter.create(keys.length, FPP);
        for (long key : keys) {
            filter.add(key);
        }
        return filter;
    }

    /** Our binary fuse filter with 8-bit fingerprints, built in one pass from all the keys. */
    static BinaryFuseFilter binaryFuse8(long[] keys) {
        return BinaryFuseFilter.build8(keys);
    }

    // ---------------------------------------------------------------------------------------------
    // peers

    /** Guava's {@code BloomFilter<Long>}: create for n at 1%, then put every key (boxed, as its API takes it). */
    static com.google.common.hash.BloomFilter<Long> guava(long[] keys) {
        var filter = com.google.common.hash.BloomFilter.create(Funnels.longFunnel(), keys.length, FPP);
        for (long key : keys) {
            filter.put(key);
        }
        return filter;
    }

    /** FastFilter's classic Bloom filter at our {@link BloomFilter}'s bits per key. */
    static Bloom fastFilterBloom(long[] keys) {
        return Bloom.construct(keys, bloomBitsPerKey(keys.length));
    }

    /** FastFilter's blocked Bloom filter at {@code bitsPerKey} (see {@link #blockedBitsPerKey}). */
    static BlockedBloom fastFilterBlockedBloom(long[] keys, int bitsPerKey) {
        return BlockedBloom.construct(keys, bitsPerKey);
    }

    /** FastFilter's xor filter with 8-bit fingerprints. */
    static Xor8 fastFilterXor8(long[] keys) {
        return Xor8.construct(keys);
    }

    /** FastFilter's xor fuse filter with 8-bit fingerprints (the predecessor of the binary fuse filter). */
    static XorFuse8 fastFilterXorFuse8(long[] keys) {
        return XorFuse8.construct(keys);
    }

    // ---------------------------------------------------------------------------------------------
    // sizing

    /** Our classic filter's bits per key for n keys at 1%: about 9.59. Pure arithmetic. */
    static double bloomBitsPerKey(long n) {
        return (double) BloomFilter.optimalBits(n, FPP) / n;
    }

    /**
     * Our blocked filter's bits per key for n keys at 1%, rounded to the whole number FastFilter's
     * {@code BlockedBloom} accepts. Sizes (and allocates) one of our filters: call it outside any
     * timed code.
     */
    static int blockedBitsPerKey(long n) {
        return (int) Math.round((double) BlockedBloomFilter.create(n, FPP).bitSize() / n);
    }

    /**
     * The payload bits of a Guava filter: its serialized form is a strategy byte, a hash-count
     * byte, an int word count, then the words; Guava exposes no bit size publicly.
     */
    static long guavaBits(com.google.common.hash.BloomFilter<Long> filter) {
        var counter = new CountingStream();
        try {
            filter.writeTo(counter);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (counter.count - 6) * 8;
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
