package dev.deepcuts.bloom;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * MurmurHash3 x64-128, the 128-bit variant of Austin Appleby's MurmurHash3, bit-for-bit equal to the
 * reference {@code MurmurHash3_x64_128} for keys of bytes, {@code long}s and UTF-8 text.
 *
 * <p>Every method is a pure static function: safe from any number of threads, never allocating. The
 * 128-bit result comes back without allocation in one of two ways: for a {@code long} key, call
 * {@link #hash128Low(long, long)} and {@link #hash128High(long, long)} side by side (see below why
 * that costs one hash, not two); for bytes and text, pass a {@link Hash128} holder that the call
 * fills and returns, and reuse it.
 *
 * <p>A 64-bit seed initialises both lanes. The reference takes a 32-bit unsigned seed, so reference
 * seed {@code s} is {@code Integer.toUnsignedLong(s)} here. (Guava's {@code murmur3_128(int)}
 * sign-extends its seed, so it agrees with the reference, and with us, only for seeds ≥ 0.)
 */
public final class Murmur3 {

    /*
     * How it works and why.
     *
     * The input is consumed in 16-byte blocks, read as two little-endian longs k1 and k2. Each is
     * multiplied, rotated and multiplied again, then folded into its own 64-bit lane (h1, h2), and
     * the lanes are stirred into each other after every block. The last 0..15 bytes form a partial
     * block; the length is xored in, the lanes are added together, each goes through fmix64 (the
     * finaliser: three xor-shifts and two multiplications, chosen by Appleby so that every input bit
     * flips every output bit with probability close to 1/2 [1]), and the lanes are added once more.
     * The low half of the result is h1, the high half h2: the reference writes h1 to bytes 0..7
     * of its output and h2 to bytes 8..15, which is also what Guava's HashCode.asLong() returns.
     *
     * Why this hash for Bloom filters: it is fast (a few cycles per byte), well mixed in every
     * output bit, and wide. The Kirsch–Mitzenmacher trick [2] needs two independent hashes to
     * derive all k probes; one 128-bit hash gives two 64-bit halves, enough to index filters far
     * beyond 2^32 bits. It is not a keyed PRF: an adversary who knows the seed can craft colliding
     * keys. Use a secret seed, or a keyed hash such as SipHash, where inputs are hostile.
     *
     * Three entry points, one function:
     *  - long keys take a short path equal to hashing the key's 8 little-endian bytes (no block,
     *    an 8-byte tail). Low and high are separate methods because Java returns one value;
     *    both are small, pure and static, so when a caller uses both, the JIT inlines both and
     *    global value numbering computes the shared work once.
     *  - byte[] keys are read 8 bytes at a time through a little-endian VarHandle view.
     *  - CharSequence keys are encoded to UTF-8 on the fly into the same 16-byte block buffer,
     *    held in two longs, so no byte[] is built. What is hashed is exactly
     *    s.toString().getBytes(UTF_8): an unpaired surrogate becomes '?', as the JDK's encoder
     *    does.
     *
     * Allocation. A filter's byte[] or text lookup does create a Hash128 per call, but the
     * methods above are kept small enough for C2 to inline into it, and escape analysis then
     * replaces the holder by two registers: 0 bytes allocated per lookup once the code is hot
     * (measure with JMH's -prof gc). Keep the text method under 325 bytecodes (FreqInlineSize)
     * when changing it.
     *
     * References
     *  [1] A. Appleby, SMHasher and MurmurHash3.cpp,
     *      https://github.com/aappleby/smhasher/blob/master/src/MurmurHash3.cpp
     *  [2] A. Kirsch, M. Mitzenmacher, "Less Hashing, Same Performance: Building a Better Bloom
     *      Filter", ESA 2006, https://doi.org/10.1007/11841036_42
     */

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Murmur3() {}

    /**
     * A mutable pair of 64-bit halves, filled by the {@code hash128} methods. Reuse one per thread
     * to hash without allocating. Not thread-safe: a holder belongs to one thread at a time.
     */
    public static final class Hash128 {
        long low;
        long high;

        /** Creates a holder with both halves zero. */
        public Hash128() {}

        /** The low 64 bits: the reference's h1, bytes 0..7 of its output read little-endian. */
        public long low() {
            return low;
        }

        /** The high 64 bits: the reference's h2, bytes 8..15 of its output read little-endian. */
        public long high() {
            return high;
        }

        @Override
        public String toString() {
            return String.format("%016x%016x", high, low);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // long keys

    /**
     * The low 64 bits of MurmurHash3 x64-128 of {@code key}'s 8 little-endian bytes.
     *
     * @param key the key
     * @param seed the seed of both lanes
     * @return h1 of the reference
     */
    public static long hash128Low(long key, long seed) {
        long h1 = seed ^ mixK1(key) ^ 8;
        long h2 = seed ^ 8;
        h1 += h2;
        h2 += h1;
        return fmix64(h1) + fmix64(h2);
    }

    /**
     * The high 64 bits of MurmurHash3 x64-128 of {@code key}'s 8 little-endian bytes.
     *
     * @param key the key
     * @param seed the seed of both lanes
     * @return h2 of the reference
     */
    public static long hash128High(long key, long seed) {
        long h1 = seed ^ mixK1(key) ^ 8;
        long h2 = seed ^ 8;
        h1 += h2;
        h2 += h1;
        long f1 = fmix64(h1);
        long f2 = fmix64(h2);
        return f2 + (f1 + f2);
    }

    /**
     * MurmurHash3 x64-128 of {@code key}'s 8 little-endian bytes, into {@code out}.
     *
     * @return {@code out}
     */
    public static Hash128 hash128(long key, long seed, Hash128 out) {
        out.low = hash128Low(key, seed);
        out.high = hash128High(key, seed);
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // byte[] keys

    /**
     * MurmurHash3 x64-128 of {@code data[offset, offset + length)}, into {@code out}.
     *
     * @throws IndexOutOfBoundsException if the range is outside {@code data}
     * @return {@code out}
     */
    public static Hash128 hash128(byte[] data, int offset, int length, long seed, Hash128 out) {
        Objects.checkFromIndexSize(offset, length, data.length);
        long h1 = seed;
        long h2 = seed;
        int end = offset + (length & ~15);
        for (int i = offset; i < end; i += 16) {
            long k1 = (long) LONG_LE.get(data, i);
            long k2 = (long) LONG_LE.get(data, i + 8);
            h1 = mixH1(h1, h2, k1);
            h2 = mixH2(h2, h1, k2);
        }
        int tail = length & 15;
        if (tail > 8) {
            h2 ^= mixK2(littleEndian(data, end + 8, tail - 8));
        }
        if (tail > 0) {
            h1 ^= mixK1(littleEndian(data, end, Math.min(tail, 8)));
        }
        return finish(h1, h2, length, out);
    }

    /** MurmurHash3 x64-128 of all of {@code data}, into {@code out}. */
    public static Hash128 hash128(byte[] data, long seed, Hash128 out) {
        return hash128(data, 0, data.length, seed, out);
    }

    // ---------------------------------------------------------------------------------------------
    // text keys

    /**
     * MurmurHash3 x64-128 of the UTF-8 encoding of {@code text}, into {@code out}, without building
     * the encoded bytes. Equal to hashing {@code text.toString().getBytes(UTF_8)}: an unpaired
     * surrogate is hashed as {@code '?'}, as the JDK's encoder writes it.
     *
     * @return {@code out}
     */
    public static Hash128 hash128(CharSequence text, long seed, Hash128 out) {
        // Kept under the JIT's inlining limit (FreqInlineSize, 325 bytecodes), so that a caller's
        // Hash128 can be scalar-replaced; the rare multi-byte encodings live in utf8().
        long h1 = seed;
        long h2 = seed;
        long k1 = 0; // bytes 0..7 of the current block
        long k2 = 0; // bytes 8..15
        int fill = 0; // bytes in the current block, 0..15
        long length = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            long encoded = c < 0x80 ? c | 1L << 32 : utf8(text, i, c);
            int count = (int) (encoded >>> 32) & 0xFF;
            i += (int) (encoded >>> 40); // 1 more when a surrogate pair was consumed
            length += count;
            for (int b = 0; b < count; b++) {
                long bits = encoded >>> (b << 3) & 0xFF;
                if (fill < 8) {
                    k1 |= bits << (fill << 3);
                } else {
                    k2 |= bits << ((fill - 8) << 3);
                }
                if (++fill == 16) {
                    h1 = mixH1(h1, h2, k1);
                    h2 = mixH2(h2, h1, k2);
                    k1 = 0;
                    k2 = 0;
                    fill = 0;
                }
            }
        }
        if (fill > 8) {
            h2 ^= mixK2(k2);
        }
        if (fill > 0) {
            h1 ^= mixK1(k1);
        }
        return finish(h1, h2, length, out);
    }

    /**
     * The UTF-8 encoding of the char at {@code i} (and the next, for a surrogate pair) packed in a
     * long: the bytes in bits 0..31, first byte lowest; the byte count in bits 32..39; the number
     * of extra chars consumed (0 or 1) in bits 40..47. An unpaired surrogate encodes as '?'.
     */
    static long utf8(CharSequence text, int i, char c) {
        if (c < 0x800) {
            return (0xC0 | c >>> 6) | (0x80 | c & 0x3F) << 8 | 2L << 32;
        }
        if (!Character.isSurrogate(c)) {
            return (0xE0 | c >>> 12) | (0x80 | c >>> 6 & 0x3F) << 8 | (0x80 | c & 0x3F) << 16 | 3L << 32;
        }
        char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
        if (!Character.isHighSurrogate(c) || !Character.isLowSurrogate(next)) {
            return '?' | 1L << 32;
        }
        int cp = Character.toCodePoint(c, next);
        long bytes = (0xF0 | cp >>> 18)
                | (0x80 | cp >>> 12 & 0x3F) << 8
                | (0x80 | cp >>> 6 & 0x3F) << 16
                | (long) (0x80 | cp & 0x3F) << 24;
        return bytes | 4L << 32 | 1L << 40;
    }

    // ---------------------------------------------------------------------------------------------
    // the mixing steps

    // region murmur-fmix
    /**
     * The MurmurHash3 64-bit finaliser: a bijection on 64-bit values in which every input bit
     * affects every output bit (avalanche). Also used on its own to mix a 64-bit key with a seed.
     */
    static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    private static Hash128 finish(long h1, long h2, long length, Hash128 out) {
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        h1 += h2;
        h2 += h1;
        out.low = h1;
        out.high = h2;
        return out;
    }
    // endregion murmur-fmix

    /** Folds block word k1 into lane h1 and stirs in h2. */
    private static long mixH1(long h1, long h2, long k1) {
        h1 ^= mixK1(k1);
        h1 = Long.rotateLeft(h1, 27) + h2;
        return h1 * 5 + 0x52dce729;
    }

    /** Folds block word k2 into lane h2 and stirs in the new h1. */
    private static long mixH2(long h2, long h1, long k2) {
        h2 ^= mixK2(k2);
        h2 = Long.rotateLeft(h2, 31) + h1;
        return h2 * 5 + 0x38495ab5;
    }

    private static long mixK1(long k1) {
        return Long.rotateLeft(k1 * C1, 31) * C2;
    }

    private static long mixK2(long k2) {
        return Long.rotateLeft(k2 * C2, 33) * C1;
    }

    /** Up to 8 bytes from {@code data[from, from + count)} as a little-endian long. */
    private static long littleEndian(byte[] data, int from, int count) {
        long v = 0;
        for (int i = count - 1; i >= 0; i--) {
            v = v << 8 | (data[from + i] & 0xFFL);
        }
        return v;
    }
}
