package dev.deepcuts.bloom;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A scalable Bloom filter (Almeida, Baquero, Preguiça, Hutchison, 2007): a Bloom filter that need
 * not know how many keys it will hold. It starts with one stage sized for an initial capacity and,
 * each time the newest stage is full, adds a larger one with a tighter false-positive target.
 *
 * <p>Promises: no false negatives; at any number of keys, a false-positive probability at most
 * {@link #fppBound()}, the {@code fpp} it was created with. Memory grows with the keys actually
 * added, a little faster than linearly. Thread-safe: adds are serialised by the filter's lock;
 * lookups take no lock and may run concurrently with adds, missing at most an add still in flight.
 */
public final class ScalableBloomFilter implements MutableFilter {

    /*
     * How it works and why [1].
     *
     * Stages. Stage i is a classic BloomFilter created for capacity n_i = n_0 · s^i keys at
     * false-positive probability p_i = P_0 · r^i: it grows by the factor s and tightens by the
     * ratio r. A key goes into the newest stage only; a lookup asks every stage. When the newest
     * stage has taken n_i keys it is at its design rate p_i, and a new stage opens.
     *
     * The bound. A lookup is a false positive if any stage answers yes, so the compound rate is
     * at most the sum of the stage rates (the union bound, which holds however the stages'
     * answers are correlated): Σ P_0 r^i < P_0 / (1 − r). Given a target P we set
     * P_0 = P (1 − r), and the bound P holds for any number of stages. The price of the tighter
     * stages is bits: a classic filter needs −ln p / (ln 2)^2 bits per key, so each stage needs
     * −ln r / (ln 2)^2 more per key than the one before, about 0.34 bits with r = 0.85.
     *
     * Growth. s = 2 keeps the number of stages (and so the lookup cost, one probe sequence per
     * stage) logarithmic in n/n_0 while wasting at most half of the newest stage. The paper
     * suggests s = 2 for slow growth, 4 for fast, and r between 0.8 and 0.9.
     *
     * Adds check membership first: a key that already looks present (truly or falsely) is not
     * inserted again and does not use up capacity; skipping it loses nothing, since filters never
     * forget. One 128-bit hash serves all stages: each reduces it to its own size.
     *
     * References
     *  [1] P. S. Almeida, C. Baquero, N. Preguiça, D. Hutchison, "Scalable Bloom Filters",
     *      Information Processing Letters 101(6), 2007, https://doi.org/10.1016/j.ipl.2006.10.007
     */

    /** The default growth factor s. */
    public static final int DEFAULT_GROWTH = 2;
    /** The default tightening ratio r. */
    public static final double DEFAULT_TIGHTENING = 0.85;
    /** The largest growth factor accepted. */
    public static final int MAX_GROWTH = 16;

    private final long initialCapacity;
    private final double fpp;
    private final int growth;
    private final double tightening;
    private final long seed;

    /** Oldest first. Replaced, never mutated in place, under the lock; lookups read it lock-free. */
    private volatile BloomFilter[] stages;
    /** Keys inserted into the newest stage. Guarded by this. */
    private long stageKeys;
    /** Keys inserted in all, the adds that returned true. Guarded by this. */
    private long keyCount;

    private ScalableBloomFilter(long initialCapacity, double fpp, int growth, double tightening, long seed) {
        this.initialCapacity = initialCapacity;
        this.fpp = fpp;
        this.growth = growth;
        this.tightening = tightening;
        this.seed = seed;
    }

    /**
     * A filter whose first stage holds {@code initialCapacity} keys, growing by
     * {@link #DEFAULT_GROWTH} and tightening by {@link #DEFAULT_TIGHTENING}, with a compound
     * false-positive probability of at most {@code fpp} at any size.
     *
     * @throws IllegalArgumentException if {@code initialCapacity} is not positive or {@code fpp}
     *     is not in (0, 1)
     */
    public static ScalableBloomFilter create(long initialCapacity, double fpp) {
        return create(initialCapacity, fpp, DEFAULT_GROWTH, DEFAULT_TIGHTENING);
    }

    /**
     * A filter as {@link #create(long, double)}, with growth factor {@code growth} (each stage
     * holds that many times the keys of the one before) and tightening ratio {@code tightening}
     * (each stage's false-positive target is that fraction of the one before).
     *
     * @throws IllegalArgumentException if {@code growth} is not in [2, {@link #MAX_GROWTH}],
     *     {@code tightening} is not in (0, 1), or another argument is out of range
     */
    public static ScalableBloomFilter create(long initialCapacity, double fpp, int growth, double tightening) {
        Args.positive("initialCapacity", initialCapacity);
        Args.fpp("fpp", fpp);
        Args.inRange("growth", growth, 2, MAX_GROWTH);
        Args.fpp("tightening", tightening);
        var filter = new ScalableBloomFilter(initialCapacity, fpp, growth, tightening, BloomFilter.DEFAULT_SEED);
        filter.stages = new BloomFilter[0];
        filter.grow();
        return filter;
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

    /** The bits of all stages together. */
    @Override
    public long bitSize() {
        long bits = 0;
        for (BloomFilter stage : stages) {
            bits += stage.bitSize();
        }
        return bits;
    }

    /**
     * The compound false-positive probability as the filter is now, 1 − Π(1 − f_i) over the
     * stages' current rates f_i (each from its fill). At most {@link #fppBound()}. Scans every
     * stage.
     */
    @Override
    public double expectedFpp() {
        double allNegative = 1;
        for (BloomFilter stage : stages) {
            allNegative *= 1 - stage.expectedFpp();
        }
        return 1 - allNegative;
    }

    /** P, the bound on the compound false-positive probability: the {@code fpp} of creation. */
    public double fppBound() {
        return fpp;
    }

    /** s, the growth factor. */
    public int growth() {
        return growth;
    }

    /** r, the tightening ratio. */
    public double tightening() {
        return tightening;
    }

    /** The number of stages so far. */
    public int stageCount() {
        return stages.length;
    }

    /** The capacity of stage {@code i} (0 is the oldest): n_0 · s^i. */
    public long stageCapacity(int i) {
        Args.inRange("stage", i, 0, stageCount() - 1);
        return capacity(i);
    }

    /** The design false-positive probability of stage {@code i}: P (1 − r) r^i. */
    public double stageFpp(int i) {
        Args.inRange("stage", i, 0, stageCount() - 1);
        return designFpp(i);
    }

    /** The bits of stage {@code i}. */
    public long stageBitSize(int i) {
        Args.inRange("stage", i, 0, stageCount() - 1);
        return stages[i].bitSize();
    }

    /** The number of keys inserted: the adds that returned {@code true}. */
    public synchronized long keyCount() {
        return keyCount;
    }

    @Override
    public String toString() {
        return "ScalableBloomFilter[stages=" + stageCount() + ", initialCapacity=" + initialCapacity
                + ", fpp=" + fpp + ", growth=" + growth + ", tightening=" + tightening + "]";
    }

    // ---------------------------------------------------------------------------------------------
    // the stages

    synchronized boolean addHash(long h1, long h2) {
        BloomFilter[] current = stages;
        if (containsHash(current, h1, h2)) {
            return false; // already answers yes; inserting would only use capacity
        }
        current[current.length - 1].addHash(h1, h2);
        keyCount++;
        if (++stageKeys >= capacity(current.length - 1)) {
            grow();
        }
        return true;
    }

    boolean containsHash(long h1, long h2) {
        return containsHash(stages, h1, h2);
    }

    private static boolean containsHash(BloomFilter[] stages, long h1, long h2) {
        for (int i = stages.length - 1; i >= 0; i--) { // newest first: it holds the most keys
            if (stages[i].containsHash(h1, h2)) {
                return true;
            }
        }
        return false;
    }

    // region scalable-grow
    /** Opens stage i = stageCount(): capacity n_0 · s^i at false-positive target P (1 − r) r^i. */
    private void grow() {
        int i = stages.length;
        long capacity = capacity(i);
        double stageFpp = designFpp(i);
        BloomFilter next;
        try {
            next = BloomFilter.create(capacity, stageFpp, seed);
        } catch (IllegalArgumentException tooBig) {
            throw new IllegalStateException("scalable filter cannot open stage " + i + " (capacity "
                    + capacity + ", fpp " + stageFpp + "): " + tooBig.getMessage(), tooBig);
        }
        BloomFilter[] grown = Arrays.copyOf(stages, i + 1);
        grown[i] = next;
        stages = grown; // publish: lookups see the new stage from now on
        stageKeys = 0;
    }

    private long capacity(int stage) {
        double capacity = initialCapacity * Math.pow(growth, stage);
        if (capacity >= Long.MAX_VALUE) {
            throw new IllegalStateException("scalable filter cannot open stage " + stage
                    + ": its capacity would exceed 2^63 keys");
        }
        return (long) capacity;
    }

    private double designFpp(int stage) {
        return fpp * (1 - tightening) * Math.pow(tightening, stage);
    }
    // endregion scalable-grow

    // ---------------------------------------------------------------------------------------------
    // serialization

    @Override
    public synchronized void writeTo(OutputStream out) throws IOException {
        BloomFilter[] current = stages;
        var w = new FilterFormat.Writer(out, FilterFormat.TYPE_SCALABLE);
        w.putLong(initialCapacity).putDouble(fpp).putInt(growth).putDouble(tightening).putLong(seed);
        w.putInt(current.length).putLong(stageKeys).putLong(keyCount);
        w.checkpoint();
        for (BloomFilter stage : current) {
            stage.writeBody(w);
        }
        w.finish();
    }

    static ScalableBloomFilter read(FilterFormat.Reader r) throws IOException {
        long at = r.offset();
        long initialCapacity = r.getLong("scalable filter initial capacity");
        double fpp = r.getDouble("scalable filter fpp");
        int growth = r.getInt("scalable filter growth");
        double tightening = r.getDouble("scalable filter tightening");
        long seed = r.getLong("scalable filter seed");
        long stagesAt = r.offset();
        int stageCount = r.getInt("scalable filter stage count");
        long stageKeys = r.getLong("scalable filter keys in the newest stage");
        long keyCount = r.getLong("scalable filter key count");
        r.checkpoint("scalable filter parameters");
        if (initialCapacity < 1 || !(fpp > 0 && fpp < 1) || growth < 2 || growth > MAX_GROWTH
                || !(tightening > 0 && tightening < 1)) {
            throw r.invalid(at, "scalable filter parameters",
                    "(initialCapacity " + initialCapacity + ", fpp " + fpp + ", growth " + growth
                            + ", tightening " + tightening + ")",
                    "initialCapacity ≥ 1, fpp and tightening in (0, 1), growth in 2.." + MAX_GROWTH);
        }
        if (stageCount < 1 || stageCount > 64) {
            throw r.invalid(stagesAt, "stage count", stageCount, "1..64");
        }
        var filter = new ScalableBloomFilter(initialCapacity, fpp, growth, tightening, seed);
        BloomFilter[] stages = new BloomFilter[stageCount];
        for (int i = 0; i < stageCount; i++) {
            long stageAt = r.offset();
            stages[i] = BloomFilter.readBody(r, "stage " + i);
            if (stages[i].seed() != seed) {
                throw r.invalid(stageAt, "stage " + i + " seed", stages[i].seed(), "the filter's seed " + seed);
            }
        }
        r.checkpoint("scalable filter");
        filter.stages = stages;
        filter.stageKeys = stageKeys;
        filter.keyCount = keyCount;
        return filter;
    }
}
