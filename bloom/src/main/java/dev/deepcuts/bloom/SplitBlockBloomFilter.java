package dev.deepcuts.bloom;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The split-block Bloom filter of Apache Parquet and Impala: 256-bit blocks of eight 32-bit words,
 * and every key sets exactly one bit in each of the eight words of one block.
 *
 * <p>Promises: no false negatives; a false-positive probability given by {@link #predictedFpp}.
 * The layout, block choice and bit choice follow the Parquet specification exactly; the 64-bit
 * hash does not (Parquet uses xxHash64 of the plain-encoded value; we mix a {@code long} key
 * with MurmurHash3's 64-bit finaliser), so the bits differ from a Parquet file's for the same
 * values.
 * Thread-safe: {@code add} is lock-free; lookups concurrent with adds may miss only an add still
 * in flight, and {@code writeTo} includes every add completed before it starts.
 */
public final class SplitBlockBloomFilter implements MutableFilter {

    /*
     * How it works and why.
     *
     * Layout [1, 2]. A block is 8 words of 32 bits, 32 bytes: half a cache line, and one AVX2
     * register, which is what its designer aimed at [2]: the eight "bit in each word"
     * computations are one vector multiply, one vector shift and one vector OR. Java's JIT may or
     * may not vectorise the 8-iteration loop; the memory access pattern (one line per key) is
     * what buys most of the speed either way.
     *
     * Choosing the block: the upper 32 bits of the 64-bit hash times the number of blocks, shifted
     * right by 32 (multiply-shift range reduction). Choosing the bits: with x the lower 32 bits,
     * word i gets bit (x · SALT[i]) >>> 27, the top 5 bits of a 32-bit product, one of 32. The
     * eight SALTs are odd constants fixed by the specification.
     *
     * The trade-off: k is fixed at 8 and each probe is confined to a 32-bit word, so the filter is
     * a little less accurate per bit than a classic or free-blocked filter. In exchange an insert
     * or lookup is branch-free and touches 32 bytes.
     *
     * Sizing. Parquet's formula treats the filter as eight classic filters sharing the keys:
     * ε = (1 − e^(−8n/m))^8, so m = −8n / ln(1 − ε^(1/8)). It ignores that keys land unevenly in
     * blocks, so the real rate is above ε (about 1.46% when ε is 1%); predictedFpp averages over
     * the Poisson number of keys per block and gives the rate you will measure. Parquet also
     * rounds the byte size up to a power of two (its block index reduction would not need it);
     * we round up to whole blocks only.
     *
     * References
     *  [1] Apache Parquet, "Bloom Filter" specification,
     *      https://github.com/apache/parquet-format/blob/master/BloomFilter.md
     *  [2] J. Apple, "Split block Bloom filters", 2021, https://arxiv.org/abs/2101.01719 (the
     *      design used by Impala, Kudu, Parquet and Arrow), after the blocked layout of F. Putze,
     *      P. Sanders, J. Singler, WEA 2007, https://doi.org/10.1007/978-3-540-72845-0_9
     */

    /** Bits per block. */
    public static final int BLOCK_BITS = 256;
    /** The largest number of blocks. */
    public static final int MAX_BLOCKS = (Integer.MAX_VALUE - 8) / 8;

    private static final long SEED = 0x9E3779B97F4A7C15L;
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(int[].class);

    private final int[] words;
    private final int blocks;

    private SplitBlockBloomFilter(int blocks, int[] words) {
        assert words.length == 8L * blocks;
        this.blocks = blocks;
        this.words = words;
    }

    /**
     * The smallest filter (in whole blocks) whose {@link #predictedFpp} for {@code expectedKeys}
     * distinct keys is at most {@code fpp}.
     *
     * <p>Parquet's sizing formula ({@link #optimalBits}) ignores that keys fall into blocks
     * unevenly, so it is optimistic: sized by it, a filter meant for 1% measures about 1.4%. We
     * start from it, as a lower bound, and grow until the block-load formula meets the target.
     *
     * @throws IllegalArgumentException if {@code expectedKeys} is not positive, {@code fpp} is not
     *     in (0, 1), or the filter would exceed {@link #MAX_BLOCKS} blocks
     */
    public static SplitBlockBloomFilter create(long expectedKeys, double fpp) {
        double bits = optimalBits(expectedKeys, fpp);
        if (bits > (double) BLOCK_BITS * MAX_BLOCKS) {
            throw tooBig(expectedKeys, fpp, bits);
        }
        long lo = Math.max(1, (long) Math.floor(bits / BLOCK_BITS));
        long hi = lo;
        while (predictedFpp(expectedKeys, hi * BLOCK_BITS) > fpp) { // grow until met, then bisect
            if (hi == MAX_BLOCKS) {
                throw tooBig(expectedKeys, fpp, (double) hi * BLOCK_BITS);
            }
            lo = hi + 1;
            hi = Math.min(MAX_BLOCKS, hi * 2);
        }
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (predictedFpp(expectedKeys, mid * BLOCK_BITS) <= fpp) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return withBits(hi * BLOCK_BITS);
    }

    private static IllegalArgumentException tooBig(long expectedKeys, double fpp, double bits) {
        return new IllegalArgumentException(String.format(
                "expectedKeys %d at fpp %s needs at least %.0f bits, more than the maximum %d",
                expectedKeys, fpp, bits, (long) BLOCK_BITS * MAX_BLOCKS));
    }

    /**
     * A filter of {@code bits} rounded up to whole 256-bit blocks.
     *
     * @throws IllegalArgumentException if {@code bits} is not in [1, 256 · {@link #MAX_BLOCKS}]
     */
    public static SplitBlockBloomFilter withBits(long bits) {
        Args.inRange("bits", bits, 1, (long) BLOCK_BITS * MAX_BLOCKS);
        int blocks = (int) ((bits + BLOCK_BITS - 1) / BLOCK_BITS);
        return new SplitBlockBloomFilter(blocks, new int[8 * blocks]);
    }

    /**
     * Parquet's size for {@code expectedKeys} keys at {@code fpp}: m = −8n / ln(1 − fpp^(1/8)) bits,
     * before rounding to blocks. It assumes every block holds the average number of keys, so a
     * filter of this size has a higher rate than {@code fpp}; {@link #create} corrects for that.
     */
    public static double optimalBits(long expectedKeys, double fpp) {
        Args.positive("expectedKeys", expectedKeys);
        Args.fpp("fpp", fpp);
        return -8.0 * expectedKeys / Math.log1p(-Math.pow(fpp, 1.0 / 8));
    }

    /**
     * The false-positive probability of {@code bits} (rounded up to whole blocks) holding
     * {@code keys} distinct keys: (1 − (31/32)^j)^8 averaged over the Poisson number j of keys per
     * block.
     */
    public static double predictedFpp(long keys, long bits) {
        Args.inRange("keys", keys, 0, Long.MAX_VALUE);
        Args.positive("bits", bits);
        long blocks = (bits + BLOCK_BITS - 1) / BLOCK_BITS;
        double clearPerKey = Math.log1p(-1.0 / 32); // ln(31/32): a key misses a given bit of a word
        return FppMath.poissonAverage((double) keys / blocks, j -> Math.pow(-Math.expm1(clearPerKey * j), 8));
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

    /** The number of bits: 256 per block. */
    @Override
    public long bitSize() {
        return (long) blocks * BLOCK_BITS;
    }

    /** The number of 256-bit blocks. */
    public int blockCount() {
        return blocks;
    }

    /**
     * The false-positive probability as the filter is now: the mean over blocks of the product
     * over the block's eight words of (bits set in the word / 32). A scan of every word.
     */
    @Override
    public double expectedFpp() {
        double sum = 0;
        for (int b = 0; b < blocks; b++) {
            double p = 1;
            for (int i = 8 * b; i < 8 * b + 8; i++) {
                p *= Integer.bitCount(words[i]) / 32.0;
            }
            sum += p;
        }
        return sum / blocks;
    }

    @Override
    public String toString() {
        return "SplitBlockBloomFilter[blocks=" + blocks + "]";
    }

    // ---------------------------------------------------------------------------------------------
    // the probes

    // region split-block
    /** The eight odd constants of the Parquet specification, one per word of a block. */
    private static final int[] SALT = {
        0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d, 0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31,
    };

    /** Sets one bit in each of the eight words of the hash's block; true if any was clear. */
    boolean addHash(long hash) {
        int base = blockIndex(hash) << 3;
        int x = (int) hash; // the lower 32 bits pick the bits
        boolean changed = false;
        for (int i = 0; i < 8; i++) {
            int mask = 1 << ((x * SALT[i]) >>> 27); // top 5 bits of the product: bit 0..31
            if ((words[base + i] & mask) == 0) {
                changed |= ((int) WORDS.getAndBitwiseOr(words, base + i, mask) & mask) == 0;
            }
        }
        return changed;
    }

    /** Whether the hash's bit is set in each of the eight words of its block. No early exit. */
    boolean containsHash(long hash) {
        int base = blockIndex(hash) << 3;
        int x = (int) hash;
        int missing = 0; // the probed bits that are clear, from all eight words
        for (int i = 0; i < 8; i++) {
            missing |= ~words[base + i] & (1 << ((x * SALT[i]) >>> 27));
        }
        return missing == 0;
    }

    /** The upper 32 bits of the hash scaled to [0, blocks): ((hash >>> 32) · blocks) >>> 32. */
    int blockIndex(long hash) {
        return (int) (((hash >>> 32) * blocks) >>> 32);
    }
    // endregion split-block

    /** The words, for tests. Not a copy. */
    int[] words() {
        return words;
    }

    // ---------------------------------------------------------------------------------------------
    // serialization

    @Override
    public void writeTo(OutputStream out) throws IOException {
        var w = new FilterFormat.Writer(out, FilterFormat.TYPE_SPLIT_BLOCK);
        w.putInt(blocks);
        w.checkpoint();
        w.putInts(words);
        w.finish();
    }

    static SplitBlockBloomFilter read(FilterFormat.Reader r) throws IOException {
        long blocksAt = r.offset();
        int blocks = r.getInt("split-block filter block count");
        r.checkpoint("split-block filter parameters");
        if (blocks < 1 || blocks > MAX_BLOCKS) {
            throw r.invalid(blocksAt, "block count", blocks, "1.." + MAX_BLOCKS);
        }
        int[] words = new int[8 * blocks];
        r.getInts(words, "split-block filter payload");
        r.checkpoint("split-block filter");
        return new SplitBlockBloomFilter(blocks, words);
    }
}
