package dev.deepcuts.bloom;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A counting Bloom filter: a Bloom filter whose bits are 4-bit counters, so that keys can be
 * removed as well as added.
 *
 * <p>Promises: no false negatives as long as you only {@link #remove(long) remove} keys you added,
 * and each no more times than you added it. Removing a key that was never added, which the filter cannot
 * always tell apart from one that was (a false positive), decrements counters that belong to other
 * keys and can make them disappear: false negatives. {@code remove} refuses, returning
 * {@code false} and changing nothing, only when the key is certainly absent (a counter is zero).
 * Counters saturate at 15 and then never change (see below), so a filter that has saturated
 * counters keeps a few keys forever. Not thread-safe: confine it to one thread or lock around it.
 */
public final class CountingBloomFilter implements MutableFilter {

    /*
     * How it works and why.
     *
     * Layout [1]. m counters of 4 bits, 16 to a long: counter i is bits 4(i mod 16) .. 4(i mod 16)+3
     * of word i/16. The probes are the classic filter's (enhanced double hashing over m positions,
     * same hash, same seed), so the non-zero counters of a counting filter are exactly the set
     * bits of a BloomFilter.withBits(m, k) that saw the same adds. Four times the memory buys
     * deletion.
     *
     * Why 4 bits. A counter overflows only if more than 15 keys among n land on it; with the
     * optimal k the load per counter is Poisson with mean ln 2, and Fan et al. [1] show the
     * probability that any counter reaches 16 is below 1.37e-15 × m. Overflow is still possible
     * (too many keys, or a key added many times), so it must be handled safely.
     *
     * Saturation. A counter at 15 sticks: add does not increment it and remove does not decrement
     * it. Once a counter has saturated we no longer know how many keys it counts: it may be 15
     * or 40. Decrementing it could bring it to zero while keys that set it are still present, and
     * each of those keys would then be reported absent: a false negative, the one error a Bloom
     * filter must never make. Keeping it at 15 costs only false positives (the counter stays
     * non-zero after all its keys are gone). saturatedCounters() reports how many are stuck.
     *
     * References
     *  [1] L. Fan, P. Cao, J. Almeida, A. Z. Broder, "Summary Cache: A Scalable Wide-Area Web
     *      Cache Sharing Protocol", IEEE/ACM ToN 8(3), 2000, https://doi.org/10.1109/90.851975
     */

    /** The value at which a counter sticks. */
    public static final int MAX_COUNT = 15;
    /** The most counters: 16 per long of the largest long[]. */
    public static final long MAX_COUNTERS = 16L * (Integer.MAX_VALUE - 8);

    private static final long SEED = BloomFilter.DEFAULT_SEED;

    private final long[] counters;
    private final long size; // m, the number of counters
    private final int hashes;

    private CountingBloomFilter(long size, int hashes, long[] counters) {
        assert counters.length == (size + 15) >>> 4;
        this.size = size;
        this.hashes = hashes;
        this.counters = counters;
    }

    /**
     * A filter with the classic filter's shape for {@code expectedKeys} keys at {@code fpp}: as
     * many counters as {@link BloomFilter#optimalBits} gives bits, and
     * {@link BloomFilter#optimalHashes} probes.
     *
     * @throws IllegalArgumentException if {@code expectedKeys} is not positive, {@code fpp} is not
     *     in (0, 1), or the filter would exceed {@link #MAX_COUNTERS}
     */
    public static CountingBloomFilter create(long expectedKeys, double fpp) {
        long m = BloomFilter.optimalBits(expectedKeys, fpp);
        return withCounters(m, BloomFilter.optimalHashes(expectedKeys, m));
    }

    /**
     * A filter with exactly {@code counters} 4-bit counters and {@code hashes} probes per key.
     *
     * @throws IllegalArgumentException if {@code counters} is not in [1, {@link #MAX_COUNTERS}] or
     *     {@code hashes} not in [1, {@link BloomFilter#MAX_HASHES}]
     */
    public static CountingBloomFilter withCounters(long counters, int hashes) {
        Args.inRange("counters", counters, 1, MAX_COUNTERS);
        Args.inRange("hashes", hashes, 1, BloomFilter.MAX_HASHES);
        return new CountingBloomFilter(counters, hashes, new long[(int) ((counters + 15) >>> 4)]);
    }

    // ---------------------------------------------------------------------------------------------
    // keys

    /** Adds {@code key}: increments its k counters (those at 15 stay at 15). */
    @Override
    public boolean add(long key) {
        return addHash(Murmur3.hash128Low(key, SEED), Murmur3.hash128High(key, SEED));
    }

    @Override
    public boolean add(byte[] key) {
        var h = Murmur3.hash128(key, SEED, new Murmur3.Hash128());
        return addHash(h.low, h.high);
    }

    @Override
    public boolean add(CharSequence key) {
        var h = Murmur3.hash128(key, SEED, new Murmur3.Hash128());
        return addHash(h.low, h.high);
    }

    /**
     * Removes one occurrence of {@code key}: decrements its k counters, except saturated ones.
     * Call it only for a key you added. Returns {@code false} and changes nothing when the key is
     * certainly absent (one of its counters is zero); returns {@code true} otherwise, even for a
     * never-added key that happens to look present, whose removal can then cause false negatives
     * for other keys.
     */
    public boolean remove(long key) {
        return removeHash(Murmur3.hash128Low(key, SEED), Murmur3.hash128High(key, SEED));
    }

    /** As {@link #remove(long)}, for the key made of these bytes. */
    public boolean remove(byte[] key) {
        var h = Murmur3.hash128(key, SEED, new Murmur3.Hash128());
        return removeHash(h.low, h.high);
    }

    /** As {@link #remove(long)}, for the key made of the UTF-8 encoding of this text. */
    public boolean remove(CharSequence key) {
        var h = Murmur3.hash128(key, SEED, new Murmur3.Hash128());
        return removeHash(h.low, h.high);
    }

    @Override
    public boolean mightContain(long key) {
        return containsHash(Murmur3.hash128Low(key, SEED), Murmur3.hash128High(key, SEED));
    }

    @Override
    public boolean mightContain(byte[] key) {
        var h = Murmur3.hash128(key, SEED, new Murmur3.Hash128());
        return containsHash(h.low, h.high);
    }

    @Override
    public boolean mightContain(CharSequence key) {
        var h = Murmur3.hash128(key, SEED, new Murmur3.Hash128());
        return containsHash(h.low, h.high);
    }

    // ---------------------------------------------------------------------------------------------
    // shape and statistics

    /** The payload in bits: 4 per counter. */
    @Override
    public long bitSize() {
        return 4 * size;
    }

    /** m, the number of counters. */
    public long counterCount() {
        return size;
    }

    /** k, the number of probes per key. */
    public int hashCount() {
        return hashes;
    }

    /** The number of counters stuck at {@link #MAX_COUNT}. A scan, O(m/16). */
    public long saturatedCounters() {
        long n = 0;
        for (long w : counters) {
            // a nibble is 15 when all four of its bits are set
            n += Long.bitCount(w & w >>> 1 & w >>> 2 & w >>> 3 & 0x1111_1111_1111_1111L);
        }
        return n;
    }

    /** (non-zero counters / m)^k, the false-positive probability as the filter is now. O(m/16). */
    @Override
    public double expectedFpp() {
        long nonZero = 0;
        for (long w : counters) {
            // a nibble is non-zero when any of its bits is set
            nonZero += Long.bitCount((w | w >>> 1 | w >>> 2 | w >>> 3) & 0x1111_1111_1111_1111L);
        }
        return Math.pow((double) nonZero / size, hashes);
    }

    @Override
    public String toString() {
        return "CountingBloomFilter[counters=" + size + ", hashes=" + hashes + "]";
    }

    // ---------------------------------------------------------------------------------------------
    // the counters

    boolean addHash(long h1, long h2) {
        long x = BloomFilter.reduce(h1, size);
        long y = BloomFilter.reduce(h2, size);
        boolean wasAbsent = false;
        for (int i = 1; ; i++) {
            wasAbsent |= increment(x);
            if (i == hashes) {
                return wasAbsent;
            }
            x = next(x, y);
            y = step(y, i);
        }
    }

    boolean removeHash(long h1, long h2) {
        if (!containsHash(h1, h2)) {
            return false; // certainly never added: refuse, change nothing
        }
        long x = BloomFilter.reduce(h1, size);
        long y = BloomFilter.reduce(h2, size);
        for (int i = 1; ; i++) {
            decrement(x);
            if (i == hashes) {
                return true;
            }
            x = next(x, y);
            y = step(y, i);
        }
    }

    boolean containsHash(long h1, long h2) {
        long x = BloomFilter.reduce(h1, size);
        long y = BloomFilter.reduce(h2, size);
        for (int i = 1; ; i++) {
            if (count(x) == 0) {
                return false;
            }
            if (i == hashes) {
                return true;
            }
            x = next(x, y);
            y = step(y, i);
        }
    }

    /** Enhanced double hashing, as in {@link BloomFilter}: the next probe. */
    private long next(long x, long y) {
        x += y;
        return x >= size ? x - size : x;
    }

    /** Enhanced double hashing: the next step after probe {@code i}. */
    private long step(long y, int i) {
        y += i;
        return y >= size ? y % size : y;
    }

    // region counting-saturation
    /** Increments counter {@code index} unless it is saturated; true if it was zero. */
    private boolean increment(long index) {
        int w = (int) (index >>> 4);
        int shift = (int) (index & 15) << 2;
        long count = counters[w] >>> shift & 0xF;
        if (count != MAX_COUNT) {
            counters[w] += 1L << shift; // count < 15, so the carry stays inside the nibble
        }
        return count == 0;
    }

    /**
     * Decrements counter {@code index} unless it is saturated or zero. A saturated counter may
     * stand for more than 15 keys, so decrementing it could reach zero while keys that set it
     * remain: a false negative. A zero counter here means the contract was broken before (a
     * never-added key was removed); going below zero would corrupt the neighbouring counter.
     */
    private void decrement(long index) {
        int w = (int) (index >>> 4);
        int shift = (int) (index & 15) << 2;
        long count = counters[w] >>> shift & 0xF;
        if (count != MAX_COUNT && count != 0) {
            counters[w] -= 1L << shift;
        }
    }
    // endregion counting-saturation

    /** The value of counter {@code index}, 0..15. */
    int count(long index) {
        return (int) (counters[(int) (index >>> 4)] >>> ((index & 15) << 2) & 0xF);
    }

    // ---------------------------------------------------------------------------------------------
    // serialization

    @Override
    public void writeTo(OutputStream out) throws IOException {
        var w = new FilterFormat.Writer(out, FilterFormat.TYPE_COUNTING);
        w.putLong(size).putInt(hashes);
        w.checkpoint();
        w.putLongs(counters);
        w.finish();
    }

    static CountingBloomFilter read(FilterFormat.Reader r) throws IOException {
        long sizeAt = r.offset();
        long size = r.getLong("counting filter counter count");
        long hashesAt = r.offset();
        int hashes = r.getInt("counting filter hash count");
        r.checkpoint("counting filter parameters");
        if (size < 1 || size > MAX_COUNTERS) {
            throw r.invalid(sizeAt, "counter count", size, "1.." + MAX_COUNTERS);
        }
        if (hashes < 1 || hashes > BloomFilter.MAX_HASHES) {
            throw r.invalid(hashesAt, "hash count", hashes, "1.." + BloomFilter.MAX_HASHES);
        }
        long[] counters = new long[(int) ((size + 15) >>> 4)];
        r.getLongs(counters, "counting filter payload");
        r.checkpoint("counting filter");
        return new CountingBloomFilter(size, hashes, counters);
    }
}
