package dev.deepcuts.bloom;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A blocked Bloom filter: every bit of a key falls inside one 512-bit block, the size of a cache
 * line, and inside that block in just two 64-bit words, three bits in each. A lookup is two loads
 * from one block, two masks and two comparisons, with no loop and no branch.
 *
 * <p>Promises: no false negatives; a false-positive probability higher than a classic filter's of
 * the same size (see {@link #predictedFpp}), which {@link #create} compensates by sizing from the
 * exact formula of this layout: about 10.3 bits per key at 1%, where the classic filter needs 9.6.
 * The gap widens as the target tightens (k is fixed at {@value #HASHES}); below about 0.1%, prefer
 * {@link BloomFilter} or {@link BinaryFuseFilter}. Thread-safe: {@code add} is lock-free from any
 * number of threads; lookups concurrent with adds are safe and may miss only an add still in
 * flight, and {@code writeTo} includes every add completed before it starts.
 */
public final class BlockedBloomFilter implements MutableFilter {

    /*
     * How it works and why.
     *
     * Layout. The bits form blocks of 8 longs = 64 bytes = 512 bits, one x86 cache line [1]
     * (the JVM does not align the array to 64 bytes, so a block may straddle two lines; it still
     * touches at most two, against up to k for a classic filter). Block b is words[8b, 8b+8).
     *
     * The hash. One 64-bit hash h per key (see KeyHash): a long key mixed by fmix64, two
     * multiplications. Bits 32..63 place the key (block and words), bits 0..35 give its six bit
     * positions; bits 32..35 serve both, see below.
     *
     * Choosing the block. The high 32 bits t of h, times the block count, is a 64-bit product
     * whose high half is a uniform index in [0, blocks) [2]: one multiplication, where a modulo
     * would cost a division of 20 to 40 cycles. Its low half is the fractional part of
     * t · blocks / 2^32: over the t that land in one block it steps evenly through [0, 2^32), so
     * its top bits are a fair choice within the block, for free.
     *
     * Choosing the bits. The block is cut into two halves of four words. The top two bits of the
     * product's low half pick a word of the first half, the next two a word of the second half;
     * bits 0..17 of h give three bit positions (6 bits each) in the first word, bits 18..35 three
     * in the second. Bits 32..35 are also t's lowest bits. A word pair owns 2^28 / blocks
     * consecutive values of t (16 or 17 near MAX_BLOCKS, thousands in a filter of a few MB), over
     * which t's lowest four bits come up equally often to within one; so in the largest filters
     * the sixth bit position leans up to 2:1 towards some bits of its word, a small excess over
     * predictedFpp that we estimate at a fraction of a per cent and have not measured. This is
     * the "cache-sectorized" layout of Lang et al. [3]: a key still lives in one cache line, but a
     * lookup reads two words instead of k, builds each word's mask with three shifts, and tests
     * (word & mask) == mask for both words at once, with & rather than &&, so there is no branch
     * to mispredict. The first version of this class placed k = 7 probes anywhere in the block
     * and stopped at the first clear bit; on a lookup of an absent key that exit point is random,
     * the branch predictor misses about once per lookup, and every miss throws away the loads
     * the CPU had started for the next keys. The chapter shows the measurements.
     *
     * The cost. Blocks receive a Poisson-distributed number of keys, and within a block each word
     * a Binomial share of them; an overloaded word has a much higher false-positive rate than an
     * average one, and six bits in two 64-bit words fill up unevenly. predictedFpp averages the
     * exact rate of a 64-bit word (FppMath) over both distributions; create() searches for the
     * smallest block count that meets the target. At 1% that is about 10.3 bits per key (the
     * classic filter: 9.6); at 0.1%, about 17.
     *
     * Why k = 6, fixed. A fixed k lets every shift be a constant, and the measured cost of
     * choosing k at run time (a switch, or shift distances read from fields) was 10-25% of a
     * lookup. Among 4, 6 and 8 bits in two words, 6 needs the fewest bits per key at 1%.
     *
     * References
     *  [1] F. Putze, P. Sanders, J. Singler, "Cache-, Hash- and Space-Efficient Bloom Filters",
     *      WEA 2007, https://doi.org/10.1007/978-3-540-72845-0_9
     *  [2] D. Lemire, "Fast Random Integer Generation in an Interval", ACM TOMACS 29(1), 2019,
     *      https://doi.org/10.1145/3230636
     *  [3] H. Lang, T. Neumann, A. Kemper, P. Boncz, "Performance-Optimal Filtering: Bloom
     *      Overtakes Cuckoo at High Throughput", PVLDB 12(5), 2019,
     *      https://doi.org/10.14778/3303753.3303757
     */

    /** Bits per block: one 64-byte cache line. */
    public static final int BLOCK_BITS = 512;
    /** k, the bits set per key: three in each of two words of its block. */
    public static final int HASHES = 6;
    /**
     * The largest number of blocks: 2^24, a filter of 1 GiB (2^33 bits). The block and the two
     * words come from the top 32 bits t of the key's 64-bit hash, as the high and low halves of
     * t · blocks; the keys of one block spread over its 16 word pairs as evenly as its share of
     * t's values allows: exactly (16 values each) at 2^24 blocks, to within one value in 16 just
     * below it, and closer in smaller filters. A set that needs more than 1 GiB of filter should be
     * split.
     */
    public static final int MAX_BLOCKS = 1 << 24;

    /** The seed every key's hash is mixed with (see KeyHash). */
    static final long SEED = 0x9E3779B97F4A7C15L;
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] words;
    private final int blocks;

    private BlockedBloomFilter(int blocks, long[] words) {
        assert words.length == 8L * blocks;
        this.blocks = blocks;
        this.words = words;
    }

    /**
     * A filter sized for {@code expectedKeys} distinct keys at false-positive probability
     * {@code fpp}: the fewest blocks that meet {@code fpp} by {@link #predictedFpp}.
     *
     * @throws IllegalArgumentException if {@code expectedKeys} is not positive, {@code fpp} is not
     *     in (0, 1), or no filter up to {@link #MAX_BLOCKS} blocks meets it
     */
    public static BlockedBloomFilter create(long expectedKeys, double fpp) {
        Args.positive("expectedKeys", expectedKeys);
        Args.fpp("fpp", fpp);
        // The classic filter's size is a lower bound: blocking only ever costs bits.
        double classic = -expectedKeys * Math.log(fpp) / (Math.log(2) * Math.log(2));
        if (classic / BLOCK_BITS > MAX_BLOCKS) {
            throw tooBig(expectedKeys, fpp);
        }
        long lo = Math.max(1, (long) Math.floor(classic / BLOCK_BITS));
        long hi = lo;
        while (fpp(expectedKeys, hi) > fpp) { // grow until the target is met, then bisect
            if (hi == MAX_BLOCKS) {
                throw tooBig(expectedKeys, fpp);
            }
            lo = hi + 1;
            hi = Math.min(MAX_BLOCKS, hi * 2);
        }
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (fpp(expectedKeys, mid) <= fpp) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        int blocks = (int) hi;
        return new BlockedBloomFilter(blocks, new long[8 * blocks]);
    }

    /**
     * A filter of {@code bits} rounded up to whole 512-bit blocks, for experiments that choose the
     * size themselves.
     *
     * @throws IllegalArgumentException if {@code bits} is not in [1, 512 · {@link #MAX_BLOCKS}]
     */
    public static BlockedBloomFilter withBits(long bits) {
        Args.inRange("bits", bits, 1, (long) BLOCK_BITS * MAX_BLOCKS);
        int blocks = (int) ((bits + BLOCK_BITS - 1) / BLOCK_BITS);
        return new BlockedBloomFilter(blocks, new long[8 * blocks]);
    }

    /**
     * The false-positive probability of a blocked filter of {@code bits} (rounded up to whole
     * blocks) holding {@code keys} distinct keys: the exact rate of a 64-bit word holding i keys
     * of three bits each (see FppMath), averaged over the Binomial(j, 1/4) share of a block's j
     * keys that picked that word, squared for the two independent halves, and averaged over the
     * Poisson number j of keys per block.
     */
    public static double predictedFpp(long keys, long bits) {
        Args.inRange("keys", keys, 0, Long.MAX_VALUE);
        Args.positive("bits", bits);
        long blocks = (bits + BLOCK_BITS - 1) / BLOCK_BITS;
        return fpp(keys, blocks);
    }

    private static double fpp(long keys, long blocks) {
        return FppMath.sectorizedFpp((double) keys / blocks, 4, HASHES / 2);
    }

    private static IllegalArgumentException tooBig(long keys, double fpp) {
        return new IllegalArgumentException(String.format(
                "expectedKeys %d at fpp %s needs more than the maximum %d blocks of %d bits",
                keys, fpp, MAX_BLOCKS, BLOCK_BITS));
    }

    // ---------------------------------------------------------------------------------------------
    // keys

    @Override
    public boolean add(long key) {
        return addHash(KeyHash.mix(key, SEED));
    }

    @Override
    public boolean add(byte[] key) {
        return addHash(KeyHash.mix(KeyHash.value(key), SEED));
    }

    @Override
    public boolean add(CharSequence key) {
        return addHash(KeyHash.mix(KeyHash.value(key), SEED));
    }

    @Override
    public boolean mightContain(long key) {
        return containsHash(KeyHash.mix(key, SEED));
    }

    @Override
    public boolean mightContain(byte[] key) {
        return containsHash(KeyHash.mix(KeyHash.value(key), SEED));
    }

    @Override
    public boolean mightContain(CharSequence key) {
        return containsHash(KeyHash.mix(KeyHash.value(key), SEED));
    }

    // ---------------------------------------------------------------------------------------------
    // shape and statistics

    /** The number of bits: 512 per block. */
    @Override
    public long bitSize() {
        return (long) blocks * BLOCK_BITS;
    }

    /** The number of 512-bit blocks. */
    public int blockCount() {
        return blocks;
    }

    /** k, the number of bits set per key: always {@value #HASHES}, three in each of two words. */
    public int hashCount() {
        return HASHES;
    }

    /**
     * The false-positive probability as the filter is now: the mean over blocks of the chance
     * that an absent key's three bits are set in a random word of each half, that is
     * (mean over the first half's words of (bits set / 64)^3) · (the same for the second half).
     * Exact for a lookup that lands in a uniformly random block. A scan of every word.
     */
    @Override
    public double expectedFpp() {
        double sum = 0;
        for (int b = 0; b < blocks; b++) {
            sum += halfFpp(8 * b) * halfFpp(8 * b + 4);
        }
        return sum / blocks;
    }

    private double halfFpp(int first) {
        double sum = 0;
        for (int i = first; i < first + 4; i++) {
            double fill = Long.bitCount(words[i]) / 64.0;
            sum += fill * fill * fill;
        }
        return sum / 4;
    }

    @Override
    public String toString() {
        return "BlockedBloomFilter[blocks=" + blocks + ", hashes=" + HASHES + "]";
    }

    // ---------------------------------------------------------------------------------------------
    // the probes

    // region blocked-probe
    /** Whether the six bits of the key hashed to h are all set: two loads, no branch. */
    boolean containsHash(long h) {
        long p = place(h);
        int base = (int) (p >>> 32) << 3;                    // the block's first word
        long a = words[base + firstWord(p)];                 // one word of the first half
        long b = words[base + secondWord(p)];                // one word of the second half
        long ma = firstMask(h);
        long mb = secondMask(h);
        return ((a & ma) == ma) & ((b & mb) == mb);          // & evaluates both: nothing to mispredict
    }

    /**
     * The high 32 bits of h times the block count: the high half of the product is the block, in
     * [0, blocks); the low half is where in that block's share of hash values the key fell.
     */
    long place(long h) {
        return (h >>> 32) * blocks;
    }

    /** Word 0..3 of the block, from the top two bits of the place's low half. */
    static int firstWord(long place) {
        return (int) (place >>> 30) & 3;
    }

    /** Word 4..7 of the block, from the next two bits. */
    static int secondWord(long place) {
        return 4 + ((int) (place >>> 28) & 3);
    }

    /** Three bits from h's bits 0..17; a shift by a long uses only its low 6 bits. */
    static long firstMask(long h) {
        return (1L << h) | (1L << (h >>> 6)) | (1L << (h >>> 12));
    }

    /** Three bits from h's bits 18..35. */
    static long secondMask(long h) {
        return (1L << (h >>> 18)) | (1L << (h >>> 24)) | (1L << (h >>> 30));
    }
    // endregion blocked-probe

    /** Sets the six bits of the key hashed to h; true if any was clear. Lock-free. */
    boolean addHash(long h) {
        long p = place(h);
        int base = (int) (p >>> 32) << 3;
        return setBits(base + firstWord(p), firstMask(h)) | setBits(base + secondWord(p), secondMask(h));
    }

    /** The block of a key hashed to h. */
    int blockIndex(long h) {
        return (int) (place(h) >>> 32);
    }

    /** ORs {@code mask} into word {@code w} atomically, skipping the write when all are set already. */
    private boolean setBits(int w, long mask) {
        if ((words[w] & mask) == mask) {
            return false; // bits never clear, so a plain read that sees them set is final
        }
        long before = (long) WORDS.getAndBitwiseOr(words, w, mask);
        return (before & mask) != mask;
    }

    /** The words, for tests. Not a copy. */
    long[] words() {
        return words;
    }

    // ---------------------------------------------------------------------------------------------
    // serialization

    @Override
    public void writeTo(OutputStream out) throws IOException {
        var w = new FilterFormat.Writer(out, FilterFormat.TYPE_BLOCKED);
        w.putInt(blocks).putInt(HASHES);
        w.checkpoint();
        w.putLongs(words);
        w.finish();
    }

    static BlockedBloomFilter read(FilterFormat.Reader r) throws IOException {
        long blocksAt = r.offset();
        int blocks = r.getInt("blocked filter block count");
        long hashesAt = r.offset();
        int hashes = r.getInt("blocked filter hash count");
        r.checkpoint("blocked filter parameters");
        if (blocks < 1 || blocks > MAX_BLOCKS) {
            throw r.invalid(blocksAt, "block count", blocks, "1.." + MAX_BLOCKS);
        }
        if (hashes != HASHES) {
            throw r.invalid(hashesAt, "hash count", hashes, String.valueOf(HASHES));
        }
        long[] words = new long[8 * blocks];
        r.getLongs(words, "blocked filter payload");
        r.checkpoint("blocked filter");
        return new BlockedBloomFilter(blocks, words);
    }
}
