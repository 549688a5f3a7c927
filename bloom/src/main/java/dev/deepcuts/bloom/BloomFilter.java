package dev.deepcuts.bloom;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The classic Bloom filter: an array of m bits and k probes per key, sized from the number of keys
 * you expect and the false-positive probability you accept.
 *
 * <p>Promises: no false negatives; for n distinct keys added, a false-positive probability close
 * to (1 − e^(−kn/m))^k. Thread-safe: {@code add} is lock-free and may run from any number of
 * threads at once; a lookup running concurrently with adds is safe and sees every add that
 * happened-before it, but may miss an add still in flight (it can only answer {@code false} for a
 * key whose add has not completed). {@code writeTo}, {@code union} and {@code intersect} read
 * without locking: adds completed before they start are included, adds in flight may be partly
 * included. Works past 2^31 bits: every index is a {@code long}.
 */
public final class BloomFilter implements MutableFilter {

    /*
     * How it works and why.
     *
     * Layout. m bits in a long[]: bit i is bit (i mod 64) of word i/64. A key sets k bits; a
     * lookup tests them. Each probe is a likely cache miss on a big filter, which is why
     * BlockedBloomFilter exists: this class is the baseline the chapter measures everything
     * against.
     *
     * Lookups. The obvious loop stops at the first clear bit. For an absent key in a filter
     * half full of ones, where it stops is a coin toss per probe: the branch predictor misses
     * about once per lookup, and a miss discards the loads the CPU had already started for the
     * keys that follow. So the first EAGER_PROBES probes are read and ANDed together with no
     * branch between them (their cache misses overlap), and only then does the loop test and
     * exit early: 15 in 16 absent keys are rejected by the eager part. Four was the fastest of
     * 2..5 and all-k in a throwaway benchmark on a 2-core VM; at 100M keys three was as good.
     *
     * Sizing [1]. For n keys and target ε, m = −n ln ε / (ln 2)^2 bits and k = (m/n) ln 2 hashes
     * minimise the false-positive rate, which then is about 0.6185^(m/n). We round m up to a whole
     * bit and k to the nearest integer, at least 1.
     *
     * Probes from one hash [2, 3]. Computing k independent hashes is slow. Kirsch and Mitzenmacher
     * showed that g_i = h1 + i·h2 (mod m) from two hashes gives the same asymptotic false-positive
     * rate. The unlucky case is when h2 mod m is 0, or shares a large factor with m: the probes
     * then cycle through few positions (all k the same bit when h2 ≡ 0). Forcing h2 odd only
     * helps when m is a power of two, and we allow any m. So we use Dillinger and Manolios'
     * "enhanced double hashing": g_i = h1 + i·h2 + (i³ − i)/6 (mod m), computed incrementally with
     * two additions and two conditional subtractions per probe (no division in the loop). The
     * cubic term breaks the cycles, so even h2 ≡ 0 yields distinct probes after the first two.
     * h1 and h2 are the halves of one 128-bit MurmurHash3, each reduced to [0, m) by Lemire's
     * multiply-high [4] rather than a modulo.
     *
     * Concurrency. add sets bits with VarHandle.getAndBitwiseOr (LOCK OR on x86), after a plain
     * read that skips words already holding the bit: bits only ever go from 0 to 1, so a plain
     * read that sees a bit set is never wrong, and the atomic OR means two threads setting bits
     * in the same word never lose each other's bit. Lookups use plain reads.
     *
     * Estimating the contents [5]. From the number X of set bits, Swamidass and Baldi's estimate
     * of the number of distinct keys added is n ≈ −(m/k) ln(1 − X/m), and the current
     * false-positive probability is (X/m)^k.
     *
     * References
     *  [1] B. H. Bloom, "Space/Time Trade-offs in Hash Coding with Allowable Errors", CACM 13(7),
     *      1970, https://doi.org/10.1145/362686.362692
     *  [2] A. Kirsch, M. Mitzenmacher, "Less Hashing, Same Performance: Building a Better Bloom
     *      Filter", ESA 2006, https://doi.org/10.1007/11841036_42
     *  [3] P. C. Dillinger, P. Manolios, "Bloom Filters in Probabilistic Verification", FMCAD 2004,
     *      https://doi.org/10.1007/978-3-540-30494-4_26
     *  [4] D. Lemire, "A fast alternative to the modulo reduction", 2016,
     *      https://lemire.me/blog/2016/06/27/a-fast-alternative-to-the-modulo-reduction/
     *  [5] S. J. Swamidass, P. Baldi, "Mathematical correction for fingerprint similarity
     *      measures to improve chemical retrieval", J. Chem. Inf. Model. 47(3), 2007,
     *      https://doi.org/10.1021/ci600526a
     */

    /** How many probes a lookup reads before it tests any: see "Lookups" above. */
    static final int EAGER_PROBES = 4;
    /** The most probes per key accepted: far past any useful k (k = 64 is ε ≈ 2^-64). */
    public static final int MAX_HASHES = 64;
    /** The largest filter, in bits: the most a long[] can hold. */
    public static final long MAX_BITS = 64L * (Integer.MAX_VALUE - 8);

    static final long DEFAULT_SEED = 0;
    private static final double LN2 = Math.log(2);
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] words;
    private final long bits;
    private final int hashes;
    private final long seed;

    private BloomFilter(long bits, int hashes, long seed, long[] words) {
        assert words.length == wordsFor(bits);
        this.bits = bits;
        this.hashes = hashes;
        this.seed = seed;
        this.words = words;
    }

    /**
     * A filter sized for {@code expectedKeys} distinct keys at false-positive probability
     * {@code fpp}, with {@link #optimalBits} bits and {@link #optimalHashes} probes.
     *
     * @throws IllegalArgumentException if {@code expectedKeys} is not positive, {@code fpp} is not
     *     in (0, 1), or the filter would exceed {@link #MAX_BITS}
     */
    public static BloomFilter create(long expectedKeys, double fpp) {
        return create(expectedKeys, fpp, DEFAULT_SEED);
    }

    /** As {@link #create(long, double)}, hashing with {@code seed}. */
    public static BloomFilter create(long expectedKeys, double fpp, long seed) {
        long bits = optimalBits(expectedKeys, fpp);
        return new BloomFilter(bits, optimalHashes(expectedKeys, bits), seed, new long[wordsFor(bits)]);
    }

    /**
     * A filter with exactly {@code bits} bits and {@code hashes} probes per key, for experiments
     * that choose the shape themselves (sweeping bits per key, say).
     *
     * @throws IllegalArgumentException if {@code bits} is not in [1, {@link #MAX_BITS}] or
     *     {@code hashes} not in [1, {@link #MAX_HASHES}]
     */
    public static BloomFilter withBits(long bits, int hashes) {
        return withBits(bits, hashes, DEFAULT_SEED);
    }

    /** As {@link #withBits(long, int)}, hashing with {@code seed}. */
    public static BloomFilter withBits(long bits, int hashes, long seed) {
        Args.inRange("bits", bits, 1, MAX_BITS);
        Args.inRange("hashes", hashes, 1, MAX_HASHES);
        return new BloomFilter(bits, hashes, seed, new long[wordsFor(bits)]);
    }

    // region optimal-size
    /**
     * The number of bits that minimises memory for {@code expectedKeys} keys at false-positive
     * probability {@code fpp}: m = ⌈−n ln ε / (ln 2)²⌉.
     *
     * @throws IllegalArgumentException if the arguments are out of range or m exceeds
     *     {@link #MAX_BITS}
     */
    public static long optimalBits(long expectedKeys, double fpp) {
        Args.positive("expectedKeys", expectedKeys);
        Args.fpp("fpp", fpp);
        double m = Math.ceil(-expectedKeys * Math.log(fpp) / (LN2 * LN2));
        if (m > MAX_BITS) {
            throw new IllegalArgumentException(String.format(
                    "expectedKeys %d at fpp %s needs %.0f bits, more than the maximum %d",
                    expectedKeys, fpp, m, MAX_BITS));
        }
        return Math.max(1, (long) m);
    }

    /**
     * The number of probes that minimises the false-positive probability of {@code bits} bits
     * holding {@code expectedKeys} keys: k = round(m/n · ln 2), at least 1 and at most
     * {@link #MAX_HASHES}.
     */
    public static int optimalHashes(long expectedKeys, long bits) {
        Args.positive("expectedKeys", expectedKeys);
        Args.positive("bits", bits);
        long k = Math.round((double) bits / expectedKeys * LN2);
        return Math.clamp(k, 1, MAX_HASHES);
    }
    // endregion optimal-size

    /**
     * The textbook false-positive probability of {@code bits} bits and {@code hashes} probes
     * holding {@code keys} distinct keys: (1 − e^(−kn/m))^k.
     */
    public static double predictedFpp(long keys, long bits, int hashes) {
        Args.inRange("keys", keys, 0, Long.MAX_VALUE);
        Args.positive("bits", bits);
        Args.inRange("hashes", hashes, 1, MAX_HASHES);
        return Math.pow(-Math.expm1(-(double) hashes * keys / bits), hashes);
    }

    // ---------------------------------------------------------------------------------------------
    // keys

    @Override
    public boolean add(long key) {
        return addHash(Murmur3.hash128Low(key, seed), Murmur3.hash128High(key, seed));
    }

    @Override
    public boolean add(byte[] key) {
        var h = Murmur3.hash128(key, seed, new Murmur3.Hash128());
        return addHash(h.low, h.high);
    }

    @Override
    public boolean add(CharSequence key) {
        var h = Murmur3.hash128(key, seed, new Murmur3.Hash128());
        return addHash(h.low, h.high);
    }

    @Override
    public boolean mightContain(long key) {
        return containsHash(Murmur3.hash128Low(key, seed), Murmur3.hash128High(key, seed));
    }

    @Override
    public boolean mightContain(byte[] key) {
        var h = Murmur3.hash128(key, seed, new Murmur3.Hash128());
        return containsHash(h.low, h.high);
    }

    @Override
    public boolean mightContain(CharSequence key) {
        var h = Murmur3.hash128(key, seed, new Murmur3.Hash128());
        return containsHash(h.low, h.high);
    }

    // ---------------------------------------------------------------------------------------------
    // shape and statistics

    /** m, the number of bits. */
    @Override
    public long bitSize() {
        return bits;
    }

    /** k, the number of probes per key. */
    public int hashCount() {
        return hashes;
    }

    /** The seed of the MurmurHash3 that derives the probes. */
    public long seed() {
        return seed;
    }

    /** X, the number of bits set: a scan of the whole array, O(m/64). */
    public long bitCount() {
        long x = 0;
        for (long w : words) {
            x += Long.bitCount(w);
        }
        return x;
    }

    /** (X/m)^k, the false-positive probability of the filter as it is now. O(m/64). */
    @Override
    public double expectedFpp() {
        return Math.pow((double) bitCount() / bits, hashes);
    }

    // region swamidass-baldi
    /**
     * Estimates the number of distinct keys added from the fraction of bits set, by Swamidass and
     * Baldi's n ≈ −(m/k) ln(1 − X/m). Within a few percent while the filter is not saturated;
     * {@link Long#MAX_VALUE} once every bit is set. O(m/64).
     */
    public long approximateKeyCount() {
        double fractionSet = (double) bitCount() / bits;
        // log1p(−x) = ln(1 − x), accurate when x is small (a nearly empty filter)
        double n = -((double) bits / hashes) * Math.log1p(-fractionSet);
        return Math.round(n); // +∞ when every bit is set, which rounds to Long.MAX_VALUE
    }
    // endregion swamidass-baldi

    // ---------------------------------------------------------------------------------------------
    // set algebra

    /**
     * A new filter holding the keys of both: the bitwise OR. Exactly the filter that adding both
     * key sets to one empty filter would give. Reads both without locking: adds running
     * concurrently may or may not be included.
     *
     * @throws IllegalArgumentException if the filters differ in bits, hashes or seed
     */
    public BloomFilter union(BloomFilter other) {
        requireSameShape(other, "union");
        long[] result = new long[words.length];
        for (int i = 0; i < result.length; i++) {
            result[i] = words[i] | other.words[i];
        }
        return new BloomFilter(bits, hashes, seed, result);
    }

    /**
     * A new filter that might contain the keys in both: the bitwise AND. Every key added to both
     * is still found (no false negatives), but its false-positive rate can be higher than a
     * filter built from the intersection alone, because a bit can be set in each filter by
     * different keys.
     *
     * @throws IllegalArgumentException if the filters differ in bits, hashes or seed
     */
    public BloomFilter intersect(BloomFilter other) {
        requireSameShape(other, "intersect");
        long[] result = new long[words.length];
        for (int i = 0; i < result.length; i++) {
            result[i] = words[i] & other.words[i];
        }
        return new BloomFilter(bits, hashes, seed, result);
    }

    private void requireSameShape(BloomFilter other, String operation) {
        if (other.bits != bits || other.hashes != hashes || other.seed != seed) {
            throw new IllegalArgumentException(String.format(
                    "cannot %s Bloom filters of different shapes: this one has %d bits, %d hashes, seed %d;"
                            + " the other has %d bits, %d hashes, seed %d",
                    operation, bits, hashes, seed, other.bits, other.hashes, other.seed));
        }
    }

    @Override
    public String toString() {
        return "BloomFilter[bits=" + bits + ", hashes=" + hashes + ", seed=" + seed + "]";
    }

    // ---------------------------------------------------------------------------------------------
    // the probes

    // region double-hashing
    /** Sets the k bits of the key whose 128-bit hash is (h1, h2); true if any was clear. */
    boolean addHash(long h1, long h2) {
        long m = bits;
        long x = reduce(h1, m); // the first probe: h1 mod m
        long y = reduce(h2, m); // the step: h2 mod m
        boolean changed = setBit(x);
        for (int i = 1; i < hashes; i++) {
            x += y; // x_i = h1 + i·h2 + (i³ − i)/6  (mod m)
            if (x >= m) x -= m;
            y += i; // y_i = h2 + i(i + 1)/2  (mod m)
            if (y >= m) y %= m; // a subtraction would do, but for m < k
            changed |= setBit(x);
        }
        return changed;
    }

    /**
     * Whether all k bits of the key whose 128-bit hash is (h1, h2) are set. The first
     * {@value #EAGER_PROBES} probes are read without a branch between them, then the rest stop
     * at the first clear bit.
     */
    boolean containsHash(long h1, long h2) {
        long m = bits;
        long x = reduce(h1, m);
        long y = reduce(h2, m);
        int eager = Math.min(hashes, EAGER_PROBES);
        long all = words[(int) (x >>> 6)] >>> x; // bit 0 is the probed bit
        int i = 1;
        for (; i < eager; i++) { // no branch on the bits: the loads overlap, nothing to mispredict
            x += y;
            if (x >= m) x -= m;
            y += i;
            if (y >= m) y %= m;
            all &= words[(int) (x >>> 6)] >>> x;
        }
        if ((all & 1) == 0) return false; // a clear bit: certainly never added
        for (; i < hashes; i++) {
            x += y;
            if (x >= m) x -= m;
            y += i;
            if (y >= m) y %= m;
            if (!getBit(x)) return false;
        }
        return true;
    }
    // endregion double-hashing

    /** Maps a uniform 64-bit hash to [0, m) by multiply-high: floor(hash · m / 2^64). */
    static long reduce(long hash, long m) {
        return Math.unsignedMultiplyHigh(hash, m);
    }

    /** Sets bit {@code index}; true if it was clear. Lock-free. */
    boolean setBit(long index) {
        int w = (int) (index >>> 6);
        long mask = 1L << index; // the shift distance is taken mod 64
        if ((words[w] & mask) != 0) {
            return false; // bits never clear, so a plain read that sees it set is final
        }
        long before = (long) WORDS.getAndBitwiseOr(words, w, mask);
        return (before & mask) == 0;
    }

    boolean getBit(long index) {
        return (words[(int) (index >>> 6)] & (1L << index)) != 0;
    }

    static int wordsFor(long bits) {
        return (int) ((bits + 63) >>> 6);
    }

    // ---------------------------------------------------------------------------------------------
    // serialization

    @Override
    public void writeTo(OutputStream out) throws IOException {
        var w = new FilterFormat.Writer(out, FilterFormat.TYPE_BLOOM);
        writeBody(w);
        w.finish();
    }

    /** Parameters, a checkpoint, the words. Shared with {@link ScalableBloomFilter}'s stages. */
    void writeBody(FilterFormat.Writer w) throws IOException {
        w.putLong(bits).putInt(hashes).putLong(seed);
        w.checkpoint();
        w.putLongs(words);
    }

    static BloomFilter read(FilterFormat.Reader r) throws IOException {
        BloomFilter filter = readBody(r, "Bloom filter");
        r.checkpoint("Bloom filter");
        return filter;
    }

    static BloomFilter readBody(FilterFormat.Reader r, String what) throws IOException {
        long bitsAt = r.offset();
        long bits = r.getLong(what + " bits");
        long hashesAt = r.offset();
        int hashes = r.getInt(what + " hashes");
        long seed = r.getLong(what + " seed");
        r.checkpoint(what + " parameters");
        if (bits < 1 || bits > MAX_BITS) {
            throw r.invalid(bitsAt, "bit count", bits, "1.." + MAX_BITS);
        }
        if (hashes < 1 || hashes > MAX_HASHES) {
            throw r.invalid(hashesAt, "hash count", hashes, "1.." + MAX_HASHES);
        }
        long[] words = new long[wordsFor(bits)];
        r.getLongs(words, what + " payload");
        return new BloomFilter(bits, hashes, seed, words);
    }

    /** The words, for tests and {@link ScalableBloomFilter}. Not a copy. */
    long[] words() {
        return words;
    }
}
