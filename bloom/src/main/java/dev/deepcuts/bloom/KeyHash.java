package dev.deepcuts.bloom;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 64-bit key of the fast filters ({@link BlockedBloomFilter}, {@link SplitBlockBloomFilter},
 * {@link BinaryFuseFilter}): every key is first reduced to one {@code long}, its <em>key
 * value</em>, and each filter then mixes that value with its seed by {@link #mix}.
 *
 * <ul>
 *   <li>A {@code long} key is its own value. No hashing at all: the mix that follows is a
 *       bijection, so distinct {@code long} keys never collide.</li>
 *   <li>A key of exactly 8 bytes is the {@code long} those bytes spell in little-endian order, so
 *       {@code mightContain(42L)} and {@code mightContain(bytesLE(42L))} stay the same question, as
 *       the {@link Filter} contract promises; text is its UTF-8 bytes, so an 8-byte string
 *       goes the same way.</li>
 *   <li>A key of any other length is hashed by {@link Murmur3} (the low half, seed 0). Such a
 *       value can equal another key's; that costs a false positive, never a false negative.</li>
 * </ul>
 *
 * <p>Why not Murmur3 for {@code long} keys too, as the classic filter does: a lookup of a
 * filter in memory is a handful of instructions around one cache miss, and MurmurHash3 x64-128
 * of 8 bytes costs six multiplications where this mix costs two. In a loop of independent
 * lookups the processor overlaps many cache misses, and how many it can keep in flight depends
 * on how many instructions each lookup spends, so the hash shows directly in lookups per second
 * (chapter 5 compares same-run ratios before and after). FastFilter and the xor-filter papers
 * use the same shortcut: {@code fmix64(key + seed)}.
 *
 * <p>Every method is a pure static function, safe from any thread.
 */
final class KeyHash {

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private KeyHash() {}

    // region key-value
    /**
     * MurmurHash3's 64-bit finaliser of {@code value + seed}: two multiplications and three
     * xor-shifts, a bijection of 64-bit words in which every input bit flips every output bit
     * with probability close to 1/2.
     */
    static long mix(long value, long seed) {
        return Murmur3.fmix64(value + seed);
    }

    /** The value of a byte key: its little-endian {@code long} if it has 8 bytes, else Murmur3's low half. */
    static long value(byte[] key) {
        if (key.length == Long.BYTES) {
            return (long) LONG_LE.get(key, 0);
        }
        return Murmur3.hash128(key, 0, new Murmur3.Hash128()).low;
    }
    // endregion key-value

    /**
     * The value of a text key: that of its UTF-8 bytes. A text of at most 8 chars is encoded on
     * the fly into one long (no byte array: a lookup allocates nothing); if that comes to exactly 8
     * bytes it is the value, otherwise Murmur3 hashes the text as usual.
     */
    static long value(CharSequence key) {
        int n = key.length();
        if (n <= Long.BYTES) { // UTF-8 spends at least one byte per char
            long packed = 0;
            int bytes = 0;
            for (int i = 0; i < n && bytes <= Long.BYTES; i++) {
                char c = key.charAt(i);
                long encoded = c < 0x80 ? c | 1L << 32 : Murmur3.utf8(key, i, c);
                int count = (int) (encoded >>> 32) & 0xFF;
                i += (int) (encoded >>> 40); // 1 more when a surrogate pair was consumed
                if (bytes + count <= Long.BYTES) {
                    packed |= (encoded & 0xFFFF_FFFFL) << (bytes << 3);
                }
                bytes += count;
            }
            if (bytes == Long.BYTES) {
                return packed;
            }
        }
        return Murmur3.hash128(key, 0, new Murmur3.Hash128()).low;
    }
}
