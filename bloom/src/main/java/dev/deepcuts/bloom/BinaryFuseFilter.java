package dev.deepcuts.bloom;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;

/**
 * A binary fuse filter (Graf and Lemire, 2022): a static approximate set built once from a known
 * set of keys, smaller and faster to query than a Bloom filter of the same false-positive rate.
 *
 * <p>Promises: no false negatives for the keys it was built from; a false-positive probability
 * of about 2^-8 with 8-bit fingerprints ({@link #build8}) or 2^-16 with 16-bit ones
 * ({@link #build16}), at about 9.0 or 18.1 bits per key for large key sets (the array is 1.125
 * times the number of keys; small sets pay more, see {@link #bitsPerKey()}). It is static: it
 * implements {@link Filter} but not {@link MutableFilter}, so there is no {@code add} to call.
 * Duplicate keys are allowed and stored once. Building is deterministic (the same keys give the
 * same filter, byte for byte). Immutable and thread-safe.
 *
 * <p>Keys of every kind are first reduced to one 64-bit value: a {@code long} key is its own
 * value, a key of exactly 8 bytes the {@code long} they spell in little-endian order, any other
 * key the low half of its MurmurHash3 (text as UTF-8), so the three kinds agree as they do in
 * every {@link Filter}. Distinct {@code long} keys never share a value; two byte or text keys
 * of other lengths can, and are then one key to the filter: among a billion such keys that
 * happens with probability about 2.7%, and only costs a false positive.
 */
public final class BinaryFuseFilter implements Filter {

    /*
     * How it works and why [1, 2].
     *
     * The idea. An array of fingerprints F, and for each key x three positions h0, h1, h2 and an
     * f-bit fingerprint fp(x), all from one 64-bit hash. Construction fills F so that for every
     * key F[h0] ^ F[h1] ^ F[h2] == fp(x). A lookup computes the same XOR and compares: a key of
     * the set always matches; any other key matches with probability 2^-f.
     *
     * Solving the XOR equations by peeling. Build the hypergraph whose vertices are positions
     * and whose edges are the keys' position triples. A position touched by a single key can
     * always be set last, to whatever that key needs, so remove ("peel") that key, which may
     * leave other positions with a single key, and repeat. If every key is peeled, fill F in the
     * reverse order: each key's own position is set once the positions it depends on are final.
     * Each position keeps a count of its keys and the XOR of their hashes, so when the count is 1
     * the XOR *is* the lone key's hash: peeling never searches. The count's two low bits hold the
     * XOR of the slot numbers (0, 1, 2) by which keys reach the position, so the lone key's slot
     * comes for free too (a trick of the authors' reference code [3]).
     *
     * Why "binary fuse". Xor filters [2] pick h0, h1, h2 anywhere in three thirds of the array and
     * need 1.23 n positions for peeling to succeed. Binary fuse filters cut the array into many
     * segments of a power-of-two length L and put a key's three positions in three consecutive
     * segments s, s+1, s+2 (s uniform over the first segmentCount segments). This "spatial
     * coupling" peels like a fuse burning from the ends inwards and succeeds with only about
     * 1.125 n positions for large n. Positions within a segment are picked by XORing hash bits
     * into the low bits of the segment's base, which keeps everything in shifts and masks.
     *
     * Sizes, for arity 3 and n keys (from [1] and the reference code [3]):
     *   L            = 2^⌊ln n / ln 3.33 + 2.25⌋, at most 2^18
     *   sizeFactor   = max(1.125, 0.875 + 0.25 · ln 10^6 / ln n)
     *   segmentCount = max(1, ⌈round(n · sizeFactor) / L⌉ − 2)
     *   arrayLength  = (segmentCount + 2) · L
     * Small sets need proportionally more room (at n = 1000 about 1.4 n positions), which is
     * what the larger sizeFactor and the two extra segments pay for.
     *
     * Sort-free, cache-friendly construction [1]. Inserting keys in random order touches random
     * cache lines of the count and XOR arrays: at 10 million keys that is three cache misses per
     * key. Keys are instead grouped into 2^b buckets by the top b bits of their hash (a counting
     * pass, then a scatter: no comparison sort), with 2^b ≥ segmentCount; since
     * h0 grows with the hash, keys of one bucket touch a window of about three segments, which
     * mostly stays in cache. Peeling queues the positions holding one key in array order and
     * takes them last in first out, so it too walks the array (backwards) with each cascade of
     * newly lone positions close by; the peeled keys are stacked in the bucket array, which is
     * free by then. The queue's pushes are branch-free: the position is always written and the
     * top advances by 0 or 1, so the CPU does not mispredict on the coin flip of "alone or not".
     *
     * Failure and retry. Peeling fails with small probability (a 2-core remains); we then draw a
     * new seed and rebuild. Duplicate keys always make peeling fail (two equal hashes never
     * become alone), so they are detected while inserting (a position whose count is 2 and whose
     * XOR is 0 holds the same hash twice: drop the second) and, should one slip through, the
     * first failure sorts and deduplicates the hashes before retrying.
     *
     * References
     *  [1] T. M. Graf, D. Lemire, "Binary Fuse Filters: Fast and Smaller Than Xor Filters",
     *      ACM JEA 27, 2022, https://doi.org/10.1145/3510449
     *  [2] T. M. Graf, D. Lemire, "Xor Filters: Faster and Smaller Than Bloom and Cuckoo
     *      Filters", ACM JEA 25, 2020, https://doi.org/10.1145/3376122
     *  [3] FastFilter/xor_singleheader, binaryfusefilter.h,
     *      https://github.com/FastFilter/xor_singleheader
     */

    /** The most keys a filter can be built from. */
    public static final int MAX_KEYS = 1 << 30;

    private static final int MAX_SEGMENT_LENGTH = 1 << 18;
    private static final int MAX_ATTEMPTS = 100;

    private final int fingerprintBits;
    private final byte[] fingerprints8; // exactly one of the two arrays is non-null
    private final short[] fingerprints16;
    private final long seed;
    private final int segmentLength;
    private final int segmentLengthMask;
    private final int segmentCount;
    private final int segmentCountLength;
    private final long keyCount;

    private BinaryFuseFilter(int fingerprintBits, long seed, int segmentLength, int segmentCount, long keyCount,
            byte[] fingerprints8, short[] fingerprints16) {
        this.fingerprintBits = fingerprintBits;
        this.seed = seed;
        this.segmentLength = segmentLength;
        this.segmentLengthMask = segmentLength - 1;
        this.segmentCount = segmentCount;
        this.segmentCountLength = segmentCount * segmentLength;
        this.keyCount = keyCount;
        this.fingerprints8 = fingerprints8;
        this.fingerprints16 = fingerprints16;
        assert (fingerprints8 == null) != (fingerprints16 == null);
    }

    // ---------------------------------------------------------------------------------------------
    // building

    /**
     * Builds a filter with 8-bit fingerprints (false-positive probability about 1/256, about 9
     * bits per key) from {@code keys}, which may be empty and may contain duplicates.
     *
     * @throws IllegalArgumentException if there are more than {@link #MAX_KEYS} keys
     */
    public static BinaryFuseFilter build8(long[] keys) {
        return build(keys, 8);
    }

    /**
     * Builds a filter with 16-bit fingerprints (false-positive probability about 1/65536, about
     * 18 bits per key) from {@code keys}, which may be empty and may contain duplicates.
     *
     * @throws IllegalArgumentException if there are more than {@link #MAX_KEYS} keys
     */
    public static BinaryFuseFilter build16(long[] keys) {
        return build(keys, 16);
    }

    /** As {@link #build8(long[])}, for keys made of bytes. */
    public static BinaryFuseFilter build8(byte[][] keys) {
        return build(values(keys), 8);
    }

    /** As {@link #build16(long[])}, for keys made of bytes. */
    public static BinaryFuseFilter build16(byte[][] keys) {
        return build(values(keys), 16);
    }

    /** As {@link #build8(long[])}, for text keys, hashed as UTF-8. */
    public static BinaryFuseFilter build8(Collection<? extends CharSequence> keys) {
        return build(values(keys), 8);
    }

    /** As {@link #build16(long[])}, for text keys, hashed as UTF-8. */
    public static BinaryFuseFilter build16(Collection<? extends CharSequence> keys) {
        return build(values(keys), 16);
    }

    private static long[] values(byte[][] keys) {
        checkCount(keys.length);
        long[] values = new long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            values[i] = KeyHash.value(Objects.requireNonNull(keys[i], "key"));
        }
        return values;
    }

    private static long[] values(Collection<? extends CharSequence> keys) {
        checkCount(keys.size());
        long[] values = new long[keys.size()];
        int i = 0;
        for (CharSequence key : keys) {
            values[i++] = KeyHash.value(Objects.requireNonNull(key, "key"));
        }
        return values;
    }

    private static void checkCount(int n) {
        Args.inRange("number of keys", n, 0, MAX_KEYS);
    }

    /**
     * Builds from the 64-bit values of the keys (a {@code long} key is its own value, see
     * {@link KeyHash}). The seeded hash of each value is recomputed in each attempt rather than
     * stored in an array of n more longs: at 10 million keys that saves 80 MB, which costs more
     * to allocate than to rehash.
     */
    static BinaryFuseFilter build(long[] keys, int fingerprintBits) {
        checkCount(keys.length);
        int n = keys.length;
        int segmentLength = segmentLength(n);
        int segmentCount = segmentCount(n, segmentLength);
        var c = new Construction(keys, segmentLength, segmentCount);
        long rng = 0x2545F4914F6CDD1DL; // fixed: the same keys always give the same filter
        for (int attempt = 1; ; attempt++) {
            rng += 0x9E3779B97F4A7C15L; // SplitMix64: each attempt's seed is fmix of a Weyl sequence
            long seed = Murmur3.fmix64(rng);
            if (c.attempt(seed)) {
                return c.assign(fingerprintBits, seed);
            }
            if (attempt == MAX_ATTEMPTS) {
                throw new IllegalStateException("binary fuse construction failed " + MAX_ATTEMPTS
                        + " times in a row for " + n + " keys; an attempt fails rarely, so this is a bug");
            }
            c.reset();
        }
    }

    /** L = 2^⌊ln n / ln 3.33 + 2.25⌋, in [4, 2^18]. */
    static int segmentLength(int n) {
        if (n <= 1) {
            return 4;
        }
        int log = (int) Math.floor(Math.log(n) / Math.log(3.33) + 2.25);
        return Math.clamp(1 << Math.min(log, 30), 4, MAX_SEGMENT_LENGTH);
    }

    /** max(1.125, 0.875 + 0.25 · ln 10^6 / ln n): positions per key needed to peel. */
    static double sizeFactor(int n) {
        return n <= 1 ? 1.125 : Math.max(1.125, 0.875 + 0.25 * Math.log(1e6) / Math.log(n));
    }

    /** The number of segments in which a key's first position can fall. */
    static int segmentCount(int n, int segmentLength) {
        long capacity = n <= 1 ? 0 : Math.round(n * sizeFactor(n));
        long count = (capacity + segmentLength - 1) / segmentLength - 2;
        return (int) Math.max(1, count);
    }

    // ---------------------------------------------------------------------------------------------
    // lookups

    @Override
    public boolean mightContain(long key) {
        return containsValue(key);
    }

    @Override
    public boolean mightContain(byte[] key) {
        return containsValue(KeyHash.value(key));
    }

    @Override
    public boolean mightContain(CharSequence key) {
        return containsValue(KeyHash.value(key));
    }

    // region fuse-lookup
    /** Whether the key whose 64-bit value (see KeyHash) is {@code value} might be in the set. */
    boolean containsValue(long value) {
        long hash = KeyHash.mix(value, seed);
        // h0 in segment s, h1 in s + 1, h2 in s + 2; multiply-high picks s·L + offset uniformly
        int h0 = (int) Math.unsignedMultiplyHigh(hash, segmentCountLength);
        int h1 = (h0 + segmentLength) ^ ((int) (hash >>> 18) & segmentLengthMask);
        int h2 = (h0 + 2 * segmentLength) ^ ((int) hash & segmentLengthMask);
        int fingerprint = (int) (hash ^ hash >>> 32);
        if (fingerprints8 != null) {
            return (byte) fingerprint == (byte) (fingerprints8[h0] ^ fingerprints8[h1] ^ fingerprints8[h2]);
        }
        return (short) fingerprint == (short) (fingerprints16[h0] ^ fingerprints16[h1] ^ fingerprints16[h2]);
    }
    // endregion fuse-lookup

    // ---------------------------------------------------------------------------------------------
    // shape and statistics

    /** The payload in bits: array length times fingerprint width. */
    @Override
    public long bitSize() {
        return (long) arrayLength() * fingerprintBits;
    }

    /** 2^-f, the probability that a key not in the set matches its fingerprint. */
    @Override
    public double expectedFpp() {
        return Math.scalb(1.0, -fingerprintBits);
    }

    /** f, the fingerprint width: 8 or 16. */
    public int fingerprintBits() {
        return fingerprintBits;
    }

    /** The number of distinct keys stored (duplicates counted once). */
    public long keyCount() {
        return keyCount;
    }

    /** Bits of payload per distinct key; infinite for an empty filter. */
    public double bitsPerKey() {
        return (double) bitSize() / keyCount;
    }

    /** L, the length of a segment in fingerprints, a power of two. */
    public int segmentLength() {
        return segmentLength;
    }

    /** The number of segments in which a key's first position can fall; the array has two more. */
    public int segmentCount() {
        return segmentCount;
    }

    /** The number of fingerprints: (segmentCount + 2) · segmentLength. */
    public int arrayLength() {
        return (segmentCount + 2) * segmentLength;
    }

    @Override
    public String toString() {
        return "BinaryFuseFilter[fingerprintBits=" + fingerprintBits + ", keys=" + keyCount
                + ", segmentLength=" + segmentLength + ", segmentCount=" + segmentCount + "]";
    }

    // ---------------------------------------------------------------------------------------------
    // construction

    /** The work arrays of one build, reused across attempts. */
    private static final class Construction {
        /** The 64-bit values of the keys (sorted and deduplicated after a failed attempt). */
        private long[] source;
        private boolean deduplicated;
        private int n;
        private final int segmentLength;
        private final int mask;
        private final int segmentCountLength;
        private final int arrayLength;
        private final int bucketShift;
        private final int[] bucketStart;
        /** Seeded hashes in bucket order while inserting; then the peel stack, in peel order. */
        private final long[] ordered;
        /** For each peeled key, the slot (0, 1, 2) of the position it was alone in. */
        private final byte[] peeledSlot;
        /** Per position: (number of keys << 2) | XOR of their slots. */
        private final byte[] countSlots;
        /** Per position: XOR of the hashes of its keys. */
        private final long[] xorHash;
        /**
         * Positions holding one key, waiting to be peeled, last in first out. A position enters at
         * most once (when it is found with one key, or when it drops from two to one, which
         * happens at most once as counts only fall), so arrayLength + 1 slots suffice (the +1 for
         * the branch-free write past the end).
         */
        private final int[] queue;
        private int duplicates;
        private int peeled;

        Construction(long[] source, int segmentLength, int segmentCount) {
            this.source = source;
            this.n = source.length;
            this.segmentLength = segmentLength;
            this.mask = segmentLength - 1;
            this.segmentCountLength = segmentCount * segmentLength;
            this.arrayLength = (segmentCount + 2) * segmentLength;
            int bucketBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(segmentCount - 1));
            this.bucketShift = 64 - bucketBits;
            this.bucketStart = new int[(1 << bucketBits) + 1];
            this.ordered = new long[n];
            this.peeledSlot = new byte[n];
            this.countSlots = new byte[arrayLength];
            this.xorHash = new long[arrayLength];
            this.queue = new int[arrayLength + 1];
        }

        /** One try with {@code seed}: true if every key was peeled. */
        boolean attempt(long seed) {
            order(seed);
            return insert() && peel();
        }

        private long seededHash(int i, long seed) {
            return KeyHash.mix(source[i], seed);
        }

        /**
         * Puts the seeded hashes in {@code ordered}, grouped by bucket (their top bits): a counting
         * sort. The hashes are computed once, into {@code xorHash}, which is at least n long and
         * not in use yet, then scattered; that array is cleared again for insert().
         */
        private void order(long seed) {
            assert xorHash.length >= n;
            Arrays.fill(bucketStart, 0);
            for (int i = 0; i < n; i++) {
                long hash = seededHash(i, seed);
                xorHash[i] = hash;
                bucketStart[(int) (hash >>> bucketShift) + 1]++;
            }
            for (int b = 1; b < bucketStart.length; b++) { // counts → where each bucket starts
                bucketStart[b] += bucketStart[b - 1];
            }
            for (int i = 0; i < n; i++) {
                long hash = xorHash[i];
                ordered[bucketStart[(int) (hash >>> bucketShift)]++] = hash;
            }
            Arrays.fill(xorHash, 0, n, 0);
        }

        /** Adds every hash to its three positions; false if a count overflowed (heavy duplicates). */
        private boolean insert() {
            for (int i = 0; i < n; i++) {
                long hash = ordered[i];
                int h0 = (int) Math.unsignedMultiplyHigh(hash, segmentCountLength);
                int h1 = (h0 + segmentLength) ^ ((int) (hash >>> 18) & mask);
                int h2 = (h0 + 2 * segmentLength) ^ ((int) hash & mask);
                toggle(h0, 0, hash, 4);
                toggle(h1, 1, hash, 4);
                toggle(h2, 2, hash, 4);
                if ((countSlots[h0] & 0xFC) == 0 || (countSlots[h1] & 0xFC) == 0 || (countSlots[h2] & 0xFC) == 0) {
                    return false; // a count wrapped past 63 keys: only repeated keys do that
                }
                if ((xorHash[h0] == 0 || xorHash[h1] == 0 || xorHash[h2] == 0)
                        && (holdsPair(h0) || holdsPair(h1) || holdsPair(h2))) {
                    toggle(h0, 0, hash, -4); // the same hash twice: keep one copy
                    toggle(h1, 1, hash, -4);
                    toggle(h2, 2, hash, -4);
                    duplicates++;
                }
            }
            return true;
        }

        /** Adds (delta 4) or removes (delta −4) a hash reaching position p by slot {@code slot}. */
        private void toggle(int p, int slot, long hash, int delta) {
            countSlots[p] = (byte) ((countSlots[p] + delta) ^ slot);
            xorHash[p] ^= hash;
        }

        /** Two keys whose hashes XOR to 0: the same hash twice. */
        private boolean holdsPair(int p) {
            return xorHash[p] == 0 && (countSlots[p] & 0xFC) == 8;
        }

        // region fuse-build
        /**
         * Peels keys off the positions they alone reach, pushing each onto the stack in
         * {@code ordered} with the slot it was alone in. True if every key was peeled.
         */
        private boolean peel() {
            int queued = 0;
            for (int p = 0; p < arrayLength; p++) { // queue every position holding one key
                queue[queued] = p;
                queued += (countSlots[p] & 0xFC) == 4 ? 1 : 0; // branch-free: keep it or not
            }
            int stack = 0;
            while (queued > 0) {
                int p = queue[--queued];
                if ((countSlots[p] & 0xFC) != 4) {
                    continue; // its key was peeled through another position meanwhile
                }
                long hash = xorHash[p]; // the XOR of a single hash is that hash
                ordered[stack] = hash;
                peeledSlot[stack++] = (byte) (countSlots[p] & 3);
                int h0 = (int) Math.unsignedMultiplyHigh(hash, segmentCountLength);
                int h1 = (h0 + segmentLength) ^ ((int) (hash >>> 18) & mask);
                int h2 = (h0 + 2 * segmentLength) ^ ((int) hash & mask);
                queue[queued] = h0; // a position about to drop from two keys to one joins the queue
                queued += (countSlots[h0] & 0xFC) == 8 ? 1 : 0;
                queue[queued] = h1;
                queued += (countSlots[h1] & 0xFC) == 8 ? 1 : 0;
                queue[queued] = h2;
                queued += (countSlots[h2] & 0xFC) == 8 ? 1 : 0;
                toggle(h0, 0, hash, -4); // take the key out of its three positions
                toggle(h1, 1, hash, -4); // (p, one of them, is left empty)
                toggle(h2, 2, hash, -4);
            }
            peeled = stack;
            return stack + duplicates == n;
        }
        // endregion fuse-build

        /** Fills the fingerprints in reverse peel order. */
        BinaryFuseFilter assign(int fingerprintBits, long seed) {
            assert allZero() : "a successful peel empties every position";
            byte[] f8 = fingerprintBits == 8 ? new byte[arrayLength] : null;
            short[] f16 = fingerprintBits == 16 ? new short[arrayLength] : null;
            for (int i = peeled - 1; i >= 0; i--) {
                long hash = ordered[i];
                int h0 = (int) Math.unsignedMultiplyHigh(hash, segmentCountLength);
                int h1 = (h0 + segmentLength) ^ ((int) (hash >>> 18) & mask);
                int h2 = (h0 + 2 * segmentLength) ^ ((int) hash & mask);
                int own = switch (peeledSlot[i]) {
                    case 0 -> h0;
                    case 1 -> h1;
                    default -> h2;
                };
                int fingerprint = (int) (hash ^ hash >>> 32);
                // F[own] is still 0 (each position is some key's own at most once), so XORing
                // all three positions gives the value that makes the key's equation hold
                if (f8 != null) {
                    assert f8[own] == 0;
                    f8[own] = (byte) (fingerprint ^ f8[h0] ^ f8[h1] ^ f8[h2]);
                } else {
                    assert f16[own] == 0;
                    f16[own] = (short) (fingerprint ^ f16[h0] ^ f16[h1] ^ f16[h2]);
                }
            }
            return new BinaryFuseFilter(fingerprintBits, seed, segmentLength, segmentCountLength / segmentLength,
                    n - duplicates, f8, f16);
        }

        /** Clears the work arrays after a failed attempt; deduplicates the hashes the first time. */
        void reset() {
            Arrays.fill(countSlots, (byte) 0);
            Arrays.fill(xorHash, 0);
            duplicates = 0;
            peeled = 0;
            if (!deduplicated) {
                // Peeling fails now and then for good reasons, but a duplicate that escaped
                // detection in insert() (or two keys with one 64-bit value) would fail every
                // attempt. Copying, sorting and deduplicating the values once rules that out.
                long[] sorted = source.clone(); // never sort the caller's array
                Arrays.sort(sorted);
                int unique = 0;
                for (int i = 0; i < sorted.length; i++) {
                    if (i == 0 || sorted[i] != sorted[i - 1]) {
                        sorted[unique++] = sorted[i];
                    }
                }
                source = sorted;
                deduplicated = true;
                n = unique;
            }
        }

        private boolean allZero() {
            for (int p = 0; p < arrayLength; p++) {
                if (countSlots[p] != 0 || xorHash[p] != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // serialization

    @Override
    public void writeTo(OutputStream out) throws IOException {
        var w = new FilterFormat.Writer(out, fingerprintBits == 8 ? FilterFormat.TYPE_FUSE8 : FilterFormat.TYPE_FUSE16);
        w.putLong(seed).putInt(segmentLength).putInt(segmentCount).putLong(keyCount);
        w.checkpoint();
        if (fingerprints8 != null) {
            w.putBytes(fingerprints8);
        } else {
            w.putShorts(fingerprints16);
        }
        w.finish();
    }

    static BinaryFuseFilter read(FilterFormat.Reader r, int fingerprintBits) throws IOException {
        long seed = r.getLong("fuse filter seed");
        long lengthAt = r.offset();
        int segmentLength = r.getInt("fuse filter segment length");
        long countAt = r.offset();
        int segmentCount = r.getInt("fuse filter segment count");
        long keysAt = r.offset();
        long keyCount = r.getLong("fuse filter key count");
        r.checkpoint("fuse filter parameters");
        if (segmentLength < 4 || segmentLength > MAX_SEGMENT_LENGTH || Integer.bitCount(segmentLength) != 1) {
            throw r.invalid(lengthAt, "segment length", segmentLength, "a power of two in 4.." + MAX_SEGMENT_LENGTH);
        }
        long maxSegments = (Integer.MAX_VALUE - 8) / segmentLength - 2;
        if (segmentCount < 1 || segmentCount > maxSegments) {
            throw r.invalid(countAt, "segment count", segmentCount, "1.." + maxSegments);
        }
        if (keyCount < 0 || keyCount > MAX_KEYS) {
            throw r.invalid(keysAt, "key count", keyCount, "0.." + MAX_KEYS);
        }
        int length = (segmentCount + 2) * segmentLength;
        byte[] f8 = null;
        short[] f16 = null;
        if (fingerprintBits == 8) {
            f8 = new byte[length];
            r.getBytes(f8, "fuse filter payload");
        } else {
            f16 = new short[length];
            r.getShorts(f16, "fuse filter payload");
        }
        r.checkpoint("fuse filter");
        return new BinaryFuseFilter(fingerprintBits, seed, segmentLength, segmentCount, keyCount, f8, f16);
    }
}
