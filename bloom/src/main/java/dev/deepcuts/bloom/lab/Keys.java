package dev.deepcuts.bloom.lab;

/**
 * Distinct pseudo-random 64-bit keys for the labs. {@code key(i)} is MurmurHash3's 64-bit finaliser
 * applied to {@code i + salt}: a bijection, so keys with different indices never collide. A lab
 * inserts {@code key(0..n-1)} and probes {@code key(n..)}, which are guaranteed absent: every
 * positive answer to a probe is a true false positive, with no "probe happened to be a member"
 * noise.
 */
final class Keys {

    private final long salt;

    Keys(long seed) {
        this.salt = fmix64(seed ^ 0x5DEECE66DL);
    }

    /** The i-th key: distinct for distinct i. */
    long key(long i) {
        return fmix64(i + salt);
    }

    /** Keys {@code from} (inclusive) to {@code to} (exclusive) as an array. */
    long[] range(long from, long to) {
        int n = Math.toIntExact(to - from);
        var out = new long[n];
        for (int i = 0; i < n; i++) out[i] = key(from + i);
        return out;
    }

    /** MurmurHash3's finaliser: a bijection on 64-bit values that mixes every bit into every other. */
    static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
