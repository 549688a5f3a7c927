package dev.deepcuts.bloom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class KeyHashTest {

    @Property
    void anEightByteKeyIsTheLongItSpellsLittleEndian(@ForAll long key) {
        assertThat(KeyHash.value(FilterTest.littleEndian(key))).isEqualTo(key);
    }

    @Property
    void textIsValuedAsItsUtf8Bytes(@ForAll String text) {
        assertThat(KeyHash.value(text)).isEqualTo(KeyHash.value(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anEightByteTextOfWideCharactersTakesTheLongPath() {
        String text = "\u00e9\u00e9\u00e9xy"; // five chars, eight UTF-8 bytes
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertThat(utf8).hasSize(8);
        assertThat(KeyHash.value(text)).isEqualTo(KeyHash.value(utf8));
    }

    @Test
    void eightByteTextsWithSurrogatesEncodeAsTheJdkDoes() {
        for (String text : new String[] {"\uD83D\uDE00abcd", "ab\uD83D\uDE00cd", "abcd\uD83D\uDE00",
                "abcdefg\uD83D", "\uDE00abcdefg", "\uD83Dabcdefg", "a\u00e9\u20acxyz", "\u20ac\u20acab"}) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            assertThat(KeyHash.value(text)).as("%s (%d bytes)", text, utf8.length).isEqualTo(KeyHash.value(utf8));
        }
    }

    @Test
    void otherLengthsAreMurmur3sLowHalf() {
        byte[] nine = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(KeyHash.value(nine)).isEqualTo(Murmur3.hash128(nine, 0, new Murmur3.Hash128()).low());
        assertThat(KeyHash.value(new byte[0])).isEqualTo(Murmur3.hash128(new byte[0], 0, new Murmur3.Hash128()).low());
    }

    @Property
    void theMixIsABijectionSoDistinctLongKeysNeverCollide(@ForAll long a, @ForAll long b, @ForAll long seed) {
        assertThat(KeyHash.mix(a, seed) == KeyHash.mix(b, seed)).isEqualTo(a == b);
    }

    @Test
    void theMixIsMurmur3sFinaliserOfValuePlusSeed() {
        // fmix64 of the reference: k ^= k >>> 33; k *= 0xff51afd7ed558ccd; k ^= k >>> 33;
        // k *= 0xc4ceb9fe1a85ec53; k ^= k >>> 33. fmix64(0) = 0 and fmix64(1), worked by hand below.
        assertThat(KeyHash.mix(0, 0)).isZero();
        long k = 1;
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        assertThat(KeyHash.mix(0, 1)).isEqualTo(k).isEqualTo(KeyHash.mix(1, 0));
    }
}
