package dev.deepcuts.bloom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The serialized format: round trips for every filter, and every kind of damage detected. */
class FiltersTest {

    private static Filter sample(FilterKind kind, int n) {
        return kind.withLongs(new SplittableRandom(n).longs(n).toArray());
    }

    private static byte[] bytes(Filter filter) throws IOException {
        var out = new ByteArrayOutputStream();
        filter.writeTo(out);
        return out.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(FilterKind.class)
    void roundTripGivesTheSameAnswersForEveryFilter(FilterKind kind) throws IOException {
        int n = 20_000;
        Filter original = sample(kind, n);
        byte[] serialized = bytes(original);
        Filter copy = Filters.read(new ByteArrayInputStream(serialized));
        assertThat(copy).isExactlyInstanceOf(original.getClass());
        assertThat(copy.bitSize()).isEqualTo(original.bitSize());
        assertThat(copy.expectedFpp()).isEqualTo(original.expectedFpp());
        long[] keys = new SplittableRandom(n).longs(n).toArray();
        for (long k : keys) {
            assertThat(copy.mightContain(k)).isTrue();
        }
        var others = new SplittableRandom(-1);
        for (int i = 0; i < 100_000; i++) {
            long k = others.nextLong();
            assertThat(copy.mightContain(k)).isEqualTo(original.mightContain(k));
        }
        assertThat(bytes(copy)).as("writes back the same bytes").isEqualTo(serialized);
    }

    @Test
    void aReadMutableFilterKeepsWorking() throws IOException {
        var scalable = ScalableBloomFilter.create(100, 0.01);
        for (long k = 0; k < 1000; k++) {
            scalable.add(k);
        }
        var copy = (ScalableBloomFilter) Filters.read(new ByteArrayInputStream(bytes(scalable)));
        assertThat(copy.stageCount()).isEqualTo(scalable.stageCount());
        assertThat(copy.keyCount()).isEqualTo(scalable.keyCount());
        for (long k = 1000; k < 10_000; k++) {
            copy.add(k);
            scalable.add(k);
        }
        assertThat(bytes(copy)).isEqualTo(bytes(scalable));

        var counting = (CountingBloomFilter) Filters.read(new ByteArrayInputStream(bytes(sample(FilterKind.COUNTING, 100))));
        long key = new SplittableRandom(100).nextLong();
        assertThat(counting.remove(key)).isTrue();
    }

    @Test
    void readsFiltersStoredBackToBack() throws IOException {
        var out = new ByteArrayOutputStream();
        for (FilterKind kind : FilterKind.values()) {
            sample(kind, 500).writeTo(out);
        }
        InputStream in = new ByteArrayInputStream(out.toByteArray());
        for (FilterKind kind : FilterKind.values()) {
            Filter f = Filters.read(in);
            assertThat(f.getClass()).isEqualTo(sample(kind, 1).getClass());
        }
        assertThat(in.read()).as("nothing read past the last filter, nothing left").isEqualTo(-1);
    }

    @ParameterizedTest
    @EnumSource(FilterKind.class)
    void detectsAFlippedByteAnywhere(FilterKind kind) throws IOException {
        byte[] good = bytes(sample(kind, 300));
        // every offset of a small filter would be slow for the big ones; a dense sample suffices,
        // including every header, parameter and checksum byte
        int step = Math.max(1, good.length / 400);
        for (int offset = 0; offset < good.length; offset += offset < 64 || offset > good.length - 64 ? 1 : step) {
            for (int mask : new int[] {0x01, 0x80, 0xFF}) {
                byte[] bad = good.clone();
                bad[offset] ^= (byte) mask;
                int at = offset;
                assertThatThrownBy(() -> Filters.read(new ByteArrayInputStream(bad)))
                        .as("%s with byte %d xor 0x%02x", kind, at, mask)
                        .isInstanceOf(CorruptFilterException.class);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(FilterKind.class)
    void detectsTruncationAtAnyLength(FilterKind kind) throws IOException {
        byte[] good = bytes(sample(kind, 300));
        int step = Math.max(1, good.length / 300);
        for (int length = 0; length < good.length; length += length < 64 || length > good.length - 64 ? 1 : step) {
            byte[] cut = java.util.Arrays.copyOf(good, length);
            int len = length;
            assertThatThrownBy(() -> Filters.read(new ByteArrayInputStream(cut)))
                    .as("%s cut to %d bytes", kind, len)
                    .isInstanceOf(CorruptFilterException.class)
                    .hasMessageStartingWith("truncated at offset " + length)
                    .satisfies(e -> assertThat(((CorruptFilterException) e).offset()).isEqualTo(len));
        }
    }

    @Test
    void namesTheHeaderWhenTheStreamEndsInsideIt() {
        assertThatThrownBy(() -> Filters.read(new ByteArrayInputStream(new byte[] {'D', 'C', 'B'})))
                .isInstanceOf(CorruptFilterException.class)
                .hasMessage("truncated at offset 3: expected 8 bytes of header from offset 0, the stream ended after 3");
    }

    @Test
    void rejectsAWrongMagic() throws IOException {
        byte[] bad = bytes(sample(FilterKind.BLOOM, 10));
        bad[0] = 'X';
        assertThatThrownBy(() -> Filters.read(new ByteArrayInputStream(bad)))
                .isInstanceOf(CorruptFilterException.class)
                .hasMessageContaining("bad magic 0x58434246 at offset 0").hasMessageContaining("not a deepcuts filter");
        assertThatThrownBy(() -> Filters.read(new ByteArrayInputStream("hello, world".getBytes())))
                .hasMessageContaining("bad magic");
    }

    @Test
    void rejectsAnUnsupportedVersionSayingWhichItUnderstands() throws IOException {
        byte[] bad = bytes(sample(FilterKind.BLOOM, 10));
        bad[4] = 7;
        assertThatThrownBy(() -> Filters.read(new ByteArrayInputStream(bad)))
                .isInstanceOf(CorruptFilterException.class)
                .hasMessage("unsupported format version 7 at offset 4 (this reader understands 1 and 2)")
                .satisfies(e -> assertThat(((CorruptFilterException) e).offset()).isEqualTo(4));
    }

    @Test
    void rejectsAnUnknownFilterType() throws IOException {
        byte[] bad = bytes(sample(FilterKind.BLOOM, 10));
        bad[5] = 9;
        assertThatThrownBy(() -> Filters.read(new ByteArrayInputStream(bad)))
                .isInstanceOf(CorruptFilterException.class)
                .hasMessageStartingWith("unknown filter type 9 at offset 5");
    }

    @Test
    void refusesTheRetiredBlockedLayoutRatherThanAnswerWrongly() throws IOException {
        // a blocked filter of the first layout had type 2; its bits are not where today's lookup
        // looks, so reading it as the new layout would return false negatives
        byte[] old = bytes(sample(FilterKind.BLOCKED, 10));
        assertThat(old[5]).isEqualTo((byte) FilterFormat.TYPE_BLOCKED);
        old[5] = 2;
        assertThatThrownBy(() -> Filters.read(new ByteArrayInputStream(old)))
                .isInstanceOf(CorruptFilterException.class)
                .hasMessageStartingWith("filter type 2 at offset 5 is a blocked filter in the retired layout")
                .hasMessageContaining("rebuild the filter from its keys");
    }

    @ParameterizedTest
    @EnumSource(value = FilterKind.class, names = {"BLOCKED", "SPLIT_BLOCK", "FUSE8", "FUSE16"})
    void refusesAVersion1FilterWhoseLongKeysWereHashedDifferently(FilterKind kind) throws IOException {
        byte[] old = bytes(sample(kind, 100));
        assertThat(old[4]).isEqualTo((byte) FilterFormat.VERSION);
        old[4] = 1;
        assertThatThrownBy(() -> Filters.read(new ByteArrayInputStream(old)))
                .isInstanceOf(CorruptFilterException.class)
                .hasMessageStartingWith("format version 1 " + FilterFormat.typeName(old[5]) + " at offset 4:")
                .hasMessageContaining("rebuild it from its keys")
                .satisfies(e -> assertThat(((CorruptFilterException) e).offset()).isEqualTo(4));
    }

    @Test
    void readsAVersion1ClassicFilterWhoseHashingDidNotChange() throws IOException {
        BloomFilter filter = BloomFilter.withBits(640, 3);
        for (long k = 0; k < 50; k++) {
            filter.add(k);
        }
        byte[] old = bytes(filter);
        old[4] = 1; // then both checkpoints (after the parameters, at the end) are recomputed
        var buffer = java.nio.ByteBuffer.wrap(old).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int at : new int[] {28, old.length - 4}) {
            var crc = new CRC32C();
            crc.update(old, 0, at);
            buffer.putInt(at, (int) crc.getValue());
        }
        Filter copy = Filters.read(new ByteArrayInputStream(old));
        for (long k = 0; k < 1000; k++) {
            assertThat(copy.mightContain(k)).as("key %d", k).isEqualTo(filter.mightContain(k));
        }
    }

    @Test
    void reportsAChecksumMismatchWithBothValuesAndTheOffset() throws IOException {
        byte[] bad = bytes(BloomFilter.withBits(640, 3));
        int payloadByte = 8 + 20 + 4 + 3; // header, parameters, checkpoint, then into the payload
        bad[payloadByte] ^= 1;
        var crc = new CRC32C();
        crc.update(bad, 0, bad.length - 4);
        String computed = String.format("0x%08x", (int) crc.getValue());
        assertThatThrownBy(() -> Filters.read(new ByteArrayInputStream(bad)))
                .isInstanceOf(CorruptFilterException.class)
                .hasMessageStartingWith("checksum mismatch at offset " + (bad.length - 4))
                .hasMessageContaining("computed " + computed)
                .hasMessageContaining("stored 0x");
    }

    @Test
    void catchesACorruptSizeBeforeAllocatingIt() throws IOException {
        byte[] bad = bytes(BloomFilter.withBits(640, 3));
        bad[8 + 4] = 0x7F; // bits field: now about 2^39, which would be 64 GiB
        assertThatThrownBy(() -> Filters.read(new ByteArrayInputStream(bad)))
                .isInstanceOf(CorruptFilterException.class)
                .hasMessageStartingWith("checksum mismatch at offset 28 (Bloom filter parameters)");
    }

    @Test
    void rejectsParametersOutOfRangeEvenWithAValidChecksum() throws IOException {
        byte[] bad = bytes(BloomFilter.withBits(640, 3));
        bad[8 + 8] = 0; // hashes = 0
        var crc = new CRC32C();
        crc.update(bad, 0, 28);
        java.nio.ByteBuffer.wrap(bad).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(28, (int) crc.getValue());
        assertThatThrownBy(() -> Filters.read(new ByteArrayInputStream(bad)))
                .isInstanceOf(CorruptFilterException.class)
                .hasMessage("invalid hash count 0 at offset 16: expected 1..64");
    }
}
