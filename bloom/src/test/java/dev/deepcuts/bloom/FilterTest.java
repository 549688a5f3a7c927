package dev.deepcuts.bloom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** The contract every {@link Filter} keeps, checked on every implementation and key kind. */
class FilterTest {

    @Property(tries = 100)
    void neverForgetsALongKey(@ForAll @Size(max = 400) List<Long> keys) {
        long[] array = keys.stream().mapToLong(Long::longValue).toArray();
        for (FilterKind kind : FilterKind.values()) {
            Filter filter = kind.withLongs(array);
            for (long key : array) {
                assertThat(filter.mightContain(key)).as("%s lost %d", kind, key).isTrue();
            }
        }
    }

    @Property(tries = 100)
    void neverForgetsATextKey(@ForAll @Size(max = 200) List<String> keys) {
        for (FilterKind kind : FilterKind.values()) {
            Filter filter = kind.withStrings(keys);
            for (String key : keys) {
                assertThat(filter.mightContain(key)).as("%s lost %s", kind, key).isTrue();
            }
        }
    }

    @Property(tries = 100)
    void neverForgetsAByteKey(@ForAll @Size(max = 200) List<byte[]> keys) {
        for (FilterKind kind : FilterKind.values()) {
            Filter filter = kind.withBytes(keys);
            for (byte[] key : keys) {
                assertThat(filter.mightContain(key)).as("%s lost a key", kind).isTrue();
            }
        }
    }

    @Property(tries = 30)
    void aLongKeyIsTheSameKeyAsItsEightLittleEndianBytes(@ForAll FilterKind kind, @ForAll @Size(max = 100) List<Long> keys) {
        long[] array = keys.stream().mapToLong(Long::longValue).toArray();
        Filter filter = kind.withLongs(array);
        var random = new SplittableRandom(keys.size());
        for (int i = 0; i < 500; i++) {
            long probe = i < array.length ? array[i] : random.nextLong();
            assertThat(filter.mightContain(littleEndian(probe))).isEqualTo(filter.mightContain(probe));
        }
    }

    @Property(tries = 30)
    void textIsTheSameKeyAsItsUtf8Bytes(@ForAll FilterKind kind, @ForAll @Size(max = 50) List<String> keys,
            @ForAll @Size(max = 50) List<String> probes) {
        Filter filter = kind.withStrings(keys);
        for (String probe : probes) {
            assertThat(filter.mightContain(probe.getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(filter.mightContain(probe));
        }
        for (String key : keys) {
            assertThat(filter.mightContain(key.getBytes(StandardCharsets.UTF_8))).isTrue();
        }
    }

    @Property(tries = 7)
    void anEmptyFilterHasFewFalsePositives(@ForAll FilterKind kind) {
        Filter filter = kind.withLongs(new long[0]);
        var random = new SplittableRandom(7);
        int positives = 0;
        for (int i = 0; i < 10_000; i++) {
            positives += filter.mightContain(random.nextLong()) ? 1 : 0;
        }
        // Bloom-type filters are all zero; a fuse filter of no keys matches fingerprint 0 only
        assertThat(positives).isLessThan(kind == FilterKind.FUSE8 ? 100 : 5);
    }

    @Property(tries = 7)
    void reportsAPositiveSizeAndAnFppBetweenZeroAndOne(@ForAll FilterKind kind) {
        Filter filter = kind.withLongs(new SplittableRandom(3).longs(1000).toArray());
        assertThat(filter.bitSize()).isPositive();
        assertThat(filter.expectedFpp()).isStrictlyBetween(0.0, 1.0);
    }

    static byte[] littleEndian(long key) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(key).array();
    }
}
