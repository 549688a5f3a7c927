package dev.deepcuts.bench.bloom;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The keys every Bloom benchmark uses: the members (the keys a filter holds) and the non-members
 * (keys it was never given), disjoint by construction, the same in every run and every fork.
 *
 * <p>Key {@code i} is SplitMix64's output function applied to {@code i}: a bijection on 64-bit
 * values, so distinct indexes give distinct keys, and the keys look uniformly random to any hash.
 * Members are keys {@code 0 .. n-1}; non-members are keys from index 2<sup>62</sup> on, which no
 * member index reaches. So a "negative lookup" is a lookup of a key that was certainly not added,
 * and a "false positive" is exactly a {@code true} answer for one of them.
 */
final class Keys {

    /** The seed of the key sequence and of the probe sampling. */
    static final long SEED = 0x5EED_B100_F11E_2025L;
    /** How many keys each lookup benchmark cycles through: 2^20 longs, 8 MiB, read in order. */
    static final int PROBES = 1 << 20;
    /** Indexes of non-members start here, far above any member index. */
    private static final long NON_MEMBER_BASE = 1L << 62;

    private Keys() {}

    /** Key number {@code index}: SplitMix64's mix of {@code (index + SEED) · golden}, a bijection. */
    static long key(long index) {
        long z = (index + SEED) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The {@code n} members, keys {@code 0 .. n-1}, all distinct. */
    static long[] members(int n) {
        long[] keys = new long[n];
        Arrays.parallelSetAll(keys, Keys::key);
        return keys;
    }

    /** {@code count} members of a set of {@code n}, drawn uniformly with replacement: lookups that must answer true. */
    static long[] positiveProbes(int n, int count) {
        var random = new SplittableRandom(SEED);
        long[] probes = new long[count];
        for (int i = 0; i < count; i++) {
            probes[i] = key(random.nextLong(n));
        }
        return probes;
    }

    /** {@code count} distinct keys that are members of no set: lookups that should answer false. */
    static long[] negativeProbes(int count) {
        return negativeProbes(0, count);
    }

    /** Non-members {@code from .. from + count - 1}. */
    static long[] negativeProbes(long from, int count) {
        long[] probes = new long[count];
        for (int i = 0; i < count; i++) {
            probes[i] = key(NON_MEMBER_BASE + from + i);
        }
        return probes;
    }
}
