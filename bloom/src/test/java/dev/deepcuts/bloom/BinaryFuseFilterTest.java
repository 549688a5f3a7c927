package dev.deepcuts.bloom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BinaryFuseFilterTest {

    private static final int MILLION = 1_000_000;
    private static long[] millionKeys;
    private static BinaryFuseFilter million8;

    private static synchronized BinaryFuseFilter million8() {
        if (million8 == null) {
            millionKeys = new SplittableRandom(1).longs(MILLION).toArray();
            million8 = BinaryFuseFilter.build8(millionKeys);
        }
        return million8;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 10, 100, 1000, 12_345})
    void findsEveryKeyAtEverySize(int n) {
        long[] keys = new SplittableRandom(n).longs(n).toArray();
        for (BinaryFuseFilter filter : List.of(BinaryFuseFilter.build8(keys), BinaryFuseFilter.build16(keys))) {
            for (long k : keys) {
                assertThat(filter.mightContain(k)).as("%s lost %d", filter, k).isTrue();
            }
            assertThat(filter.keyCount()).isEqualTo(n);
        }
    }

    @Test
    void findsEveryKeyOfAMillion() {
        var filter = million8();
        for (long k : millionKeys) {
            if (!filter.mightContain(k)) {
                throw new AssertionError("lost " + k);
            }
        }
        assertThat(filter.keyCount()).isEqualTo(MILLION);
    }

    @Test
    void usesAboutNineBitsPerKeyAtAMillionKeys() {
        var filter = million8();
        assertThat(filter.bitsPerKey()).isLessThanOrEqualTo(9.1).isGreaterThan(9.0);
        assertThat(filter.segmentLength()).isEqualTo(8192);
        assertThat(filter.arrayLength()).isEqualTo((filter.segmentCount() + 2) * 8192);
    }

    @Test
    void falsePositiveRateIsAboutOneIn256With8BitFingerprints() {
        var filter = million8();
        var others = new SplittableRandom(2);
        int probes = 2_000_000;
        int positives = 0;
        for (int i = 0; i < probes; i++) {
            positives += filter.mightContain(others.nextLong()) ? 1 : 0;
        }
        assertThat((double) positives / probes).isCloseTo(1.0 / 256, within(0.15 / 256));
        assertThat(filter.expectedFpp()).isEqualTo(1.0 / 256);
    }

    @Test
    void falsePositiveRateIsAboutOneIn65536With16BitFingerprints() {
        long[] keys = new SplittableRandom(3).longs(200_000).toArray();
        var filter = BinaryFuseFilter.build16(keys);
        assertThat(filter.bitsPerKey()).isLessThan(19); // 18.7 at 200 thousand keys, 18.1 in the limit
        var others = new SplittableRandom(4);
        int probes = 6_000_000;
        int positives = 0;
        for (int i = 0; i < probes; i++) {
            positives += filter.mightContain(others.nextLong()) ? 1 : 0;
        }
        // expected 91.6 with σ ≈ 9.6: a loose ±45% band
        assertThat((double) positives / probes * 65536).isBetween(0.55, 1.45);
        assertThat(filter.expectedFpp()).isEqualTo(1.0 / 65536);
    }

    @Test
    void storesDuplicateKeysOnce() {
        var random = new SplittableRandom(5);
        long[] distinct = random.longs(10_000).toArray();
        long[] withRepeats = new long[30_000];
        for (int i = 0; i < withRepeats.length; i++) {
            withRepeats[i] = distinct[random.nextInt(distinct.length)];
        }
        System.arraycopy(distinct, 0, withRepeats, 0, distinct.length); // every key at least once
        shuffle(withRepeats, random);
        var filter = BinaryFuseFilter.build8(withRepeats);
        for (long k : distinct) {
            assertThat(filter.mightContain(k)).isTrue();
        }
        assertThat(filter.keyCount()).isEqualTo(10_000);
    }

    @Test
    void survivesAKeyRepeatedFarMoreTimesThanACountCanHold() {
        long[] keys = new long[5000];
        java.util.Arrays.fill(keys, 0, 1000, 42L); // 1000 copies overflow a 6-bit count
        for (int i = 1000; i < keys.length; i++) {
            keys[i] = i;
        }
        shuffle(keys, new SplittableRandom(6));
        var filter = BinaryFuseFilter.build16(keys);
        assertThat(filter.mightContain(42L)).isTrue();
        for (long k = 1000; k < 5000; k++) {
            assertThat(filter.mightContain(k)).isTrue();
        }
        assertThat(filter.keyCount()).isEqualTo(4001);
        assertThat(BinaryFuseFilter.build8(new long[] {7, 7, 7, 7}).keyCount()).isEqualTo(1);
    }

    @Property(tries = 200)
    void neverForgetsAKeyWhateverTheSetAndItsRepeats(@ForAll @Size(max = 300) List<Long> keys) {
        long[] array = keys.stream().mapToLong(Long::longValue).toArray();
        var filter = BinaryFuseFilter.build8(array);
        for (long k : array) {
            assertThat(filter.mightContain(k)).isTrue();
        }
        assertThat(filter.keyCount()).isEqualTo(keys.stream().distinct().count());
    }

    @Test
    void buildsFromTextAndBytesByTheirUtf8Hash() {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            words.add("word-" + i + "-é😀");
        }
        var fromText = BinaryFuseFilter.build16(words);
        byte[][] bytes = words.stream().map(w -> w.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        var fromBytes = BinaryFuseFilter.build16(bytes);
        for (int i = 0; i < words.size(); i++) {
            assertThat(fromText.mightContain(words.get(i))).isTrue();
            assertThat(fromText.mightContain(bytes[i])).isTrue();
            assertThat(fromBytes.mightContain(words.get(i))).isTrue();
        }
        assertThat(serialize(fromText)).isEqualTo(serialize(fromBytes));
    }

    @Test
    void buildingIsDeterministic() {
        long[] keys = new SplittableRandom(8).longs(50_000).toArray();
        assertThat(serialize(BinaryFuseFilter.build8(keys))).isEqualTo(serialize(BinaryFuseFilter.build8(keys.clone())));
    }

    @Test
    void doesNotModifyTheCallersKeys() {
        long[] keys = new SplittableRandom(9).longs(1000).toArray();
        long[] copy = keys.clone();
        BinaryFuseFilter.build8(keys);
        assertThat(keys).isEqualTo(copy);
    }

    @Test
    void computesTheShapeByThePapersFormulas() {
        // L = 2^⌊ln n / ln 3.33 + 2.25⌋
        assertThat(BinaryFuseFilter.segmentLength(1_000_000)).isEqualTo(1 << 13);
        assertThat(BinaryFuseFilter.segmentLength(10_000_000)).isEqualTo(1 << 15);
        assertThat(BinaryFuseFilter.segmentLength(1000)).isEqualTo(1 << 7);
        assertThat(BinaryFuseFilter.segmentLength(1)).isEqualTo(4);
        assertThat(BinaryFuseFilter.segmentLength(Integer.MAX_VALUE)).isEqualTo(1 << 18);
        // sizeFactor = max(1.125, 0.875 + 0.25 ln(10^6) / ln n)
        assertThat(BinaryFuseFilter.sizeFactor(1_000_000)).isEqualTo(1.125);
        assertThat(BinaryFuseFilter.sizeFactor(10_000_000)).isEqualTo(1.125);
        assertThat(BinaryFuseFilter.sizeFactor(1000)).isCloseTo(1.375, within(1e-12));
        // segmentCount = ⌈n · sizeFactor / L⌉ − 2
        assertThat(BinaryFuseFilter.segmentCount(1_000_000, 1 << 13)).isEqualTo(138 - 2);
        assertThat(BinaryFuseFilter.segmentCount(10, 16)).isEqualTo(1);
    }

    @Test
    void approachesNineBitsPerKeyOnlyForLargeSets() {
        long[] keys = new SplittableRandom(10).longs(1000).toArray();
        var small = BinaryFuseFilter.build8(keys);
        assertThat(small.bitsPerKey()).isGreaterThan(10); // small sets need room to peel
        assertThat(BinaryFuseFilter.build8(new long[0]).bitsPerKey()).isInfinite();
    }

    @Test
    void isStaticByType() {
        Filter filter = BinaryFuseFilter.build8(new long[] {1, 2, 3});
        assertThat(filter).isNotInstanceOf(MutableFilter.class);
    }

    @Test
    void rejectsNullKeysNamingThem() {
        assertThatThrownBy(() -> BinaryFuseFilter.build8(new byte[][] {{1}, null}))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("key");
    }

    private static byte[] serialize(Filter filter) {
        try {
            var out = new ByteArrayOutputStream();
            filter.writeTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void shuffle(long[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
