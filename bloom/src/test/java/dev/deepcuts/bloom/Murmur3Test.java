package dev.deepcuts.bloom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.hash.HashCode;
import com.google.common.hash.Hashing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class Murmur3Test {

    /**
     * SMHasher's VerificationTest: hash the keys {}, {0}, {0,1}, ... {0..254} with seeds 256, 255,
     * ... 1, hash the concatenated 16-byte results with seed 0, and read the first four bytes as a
     * little-endian int. The reference value for MurmurHash3_x64_128 is 0x6384BA69.
     */
    @Test
    void passesTheSmHasherVerificationTest() {
        byte[] key = new byte[256];
        ByteBuffer hashes = ByteBuffer.allocate(16 * 256).order(ByteOrder.LITTLE_ENDIAN);
        var h = new Murmur3.Hash128();
        for (int i = 0; i < 256; i++) {
            key[i] = (byte) i;
            Murmur3.hash128(key, 0, i, 256 - i, h);
            hashes.putLong(h.low()).putLong(h.high());
        }
        Murmur3.hash128(hashes.array(), 0, hashes.capacity(), 0, h);
        assertThat((int) h.low()).isEqualTo(0x6384BA69);
    }

    @Test
    void hashesTheEmptyKeyWithSeedZeroToZero() {
        var h = Murmur3.hash128(new byte[0], 0, new Murmur3.Hash128());
        assertThat(h.low()).isZero();
        assertThat(h.high()).isZero();
    }

    @Test
    void agreesWithGuavaOnRandomBytesOfEveryLengthUpTo100() {
        var random = new SplittableRandom(42);
        var h = new Murmur3.Hash128();
        for (int length = 0; length <= 100; length++) {
            for (int trial = 0; trial < 20; trial++) {
                byte[] data = new byte[length];
                random.nextBytes(data);
                int seed = random.nextInt(Integer.MAX_VALUE); // Guava sign-extends negative seeds
                Murmur3.hash128(data, seed, h);
                assertHalves(Hashing.murmur3_128(seed).hashBytes(data), h);
            }
        }
    }

    @Test
    void hashesASliceOfAnArrayAsThatSliceAlone() {
        var random = new SplittableRandom(9);
        byte[] data = new byte[300];
        random.nextBytes(data);
        var slice = new Murmur3.Hash128();
        var copy = new Murmur3.Hash128();
        for (int offset = 0; offset < 40; offset++) {
            for (int length = 0; length < 60; length++) {
                Murmur3.hash128(data, offset, length, 5, slice);
                Murmur3.hash128(java.util.Arrays.copyOfRange(data, offset, offset + length), 5, copy);
                assertThat(slice.low()).isEqualTo(copy.low());
                assertThat(slice.high()).isEqualTo(copy.high());
            }
        }
    }

    @Test
    void rejectsASliceOutsideTheArray() {
        assertThatThrownBy(() -> Murmur3.hash128(new byte[4], 2, 3, 0, new Murmur3.Hash128()))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Property(tries = 2000)
    void hashesALongAsItsEightLittleEndianBytes(@ForAll long key, @ForAll long seed) {
        var bytes = Murmur3.hash128(FilterTest.littleEndian(key), seed, new Murmur3.Hash128());
        assertThat(Murmur3.hash128Low(key, seed)).isEqualTo(bytes.low());
        assertThat(Murmur3.hash128High(key, seed)).isEqualTo(bytes.high());
        var holder = Murmur3.hash128(key, seed, new Murmur3.Hash128());
        assertThat(holder.low()).isEqualTo(bytes.low());
        assertThat(holder.high()).isEqualTo(bytes.high());
    }

    @Property(tries = 500)
    void agreesWithGuavaOnLongKeys(@ForAll long key, @ForAll @IntRange(min = 0) int seed) {
        var h = Murmur3.hash128(key, seed, new Murmur3.Hash128());
        assertHalves(Hashing.murmur3_128(seed).hashLong(key), h);
    }

    @Property(tries = 2000)
    void hashesTextAsItsUtf8Bytes(@ForAll String text, @ForAll long seed) {
        // jqwik's strings include unpaired surrogates, which the JDK encodes as '?'
        var expected = Murmur3.hash128(text.getBytes(StandardCharsets.UTF_8), seed, new Murmur3.Hash128());
        var actual = Murmur3.hash128(text, seed, new Murmur3.Hash128());
        assertThat(actual.low()).isEqualTo(expected.low());
        assertThat(actual.high()).isEqualTo(expected.high());
    }

    @Test
    void hashesEveryKindOfCodePointAsItsUtf8Bytes() {
        String[] texts = {
            "", "a", "abcdefghijklmnop", "abcdefghijklmnopq", "é", "€uro", "日本語のテキスト", "😀", "a😀b", "😀😀😀😀😀",
            "\uD800", "x\uDC00y", "\uDBFF\uDFFF", "\uD83D", "mixed é € 😀 \uD800 and more text past sixteen bytes",
        };
        for (String text : texts) {
            var expected = Murmur3.hash128(text.getBytes(StandardCharsets.UTF_8), 1, new Murmur3.Hash128());
            var actual = Murmur3.hash128((CharSequence) new StringBuilder(text), 1, new Murmur3.Hash128());
            assertThat(actual.low()).as(text).isEqualTo(expected.low());
            assertThat(actual.high()).as(text).isEqualTo(expected.high());
            if (!text.contains("\uD800") && !text.contains("\uDC00") && !text.equals("\uD83D")) {
                assertHalves(Hashing.murmur3_128(1).hashString(text, StandardCharsets.UTF_8), actual);
            }
        }
    }

    @Test
    void fmixMapsZeroToZeroAndDistinctInputsToDistinctOutputs() {
        assertThat(Murmur3.fmix64(0)).isZero();
        // fmix64 is a bijection: distinct inputs, distinct outputs (spot check)
        var random = new SplittableRandom(1);
        var seen = new java.util.HashSet<Long>();
        for (int i = 0; i < 10_000; i++) {
            seen.add(Murmur3.fmix64(i));
            seen.add(Murmur3.fmix64(random.nextLong()));
        }
        assertThat(seen).hasSizeGreaterThan(19_990);
    }

    private static void assertHalves(HashCode guava, Murmur3.Hash128 ours) {
        ByteBuffer bytes = ByteBuffer.wrap(guava.asBytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(ours.low()).isEqualTo(bytes.getLong(0)).isEqualTo(guava.asLong());
        assertThat(ours.high()).isEqualTo(bytes.getLong(8));
    }
}
