package dev.deepcuts.bloom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class BloomFilterTest {

    @Test
    void sizesByTheTextbookFormulas() {
        // m = −n ln ε / (ln 2)², k = round(m/n · ln 2)
        assertThat(BloomFilter.optimalBits(1_000_000, 0.01)).isEqualTo(9_585_059);
        assertThat(BloomFilter.optimalHashes(1_000_000, 9_585_059)).isEqualTo(7);
        assertThat(BloomFilter.optimalBits(1000, 0.001)).isEqualTo(14_378);
        assertThat(BloomFilter.optimalHashes(1000, 14_378)).isEqualTo(10);
        var filter = BloomFilter.create(1_000_000, 0.01);
        assertThat(filter.bitSize()).isEqualTo(9_585_059);
        assertThat(filter.hashCount()).isEqualTo(7);
    }

    @Test
    void usesAtLeastOneHashAndOneBit() {
        assertThat(BloomFilter.optimalHashes(1000, 10)).isEqualTo(1);
        assertThat(BloomFilter.optimalBits(1, 0.99)).isEqualTo(1);
        assertThat(BloomFilter.optimalHashes(1, 1_000_000)).isEqualTo(BloomFilter.MAX_HASHES);
    }

    @Test
    void measuredFalsePositiveRateMatchesTheFormulaWithinFourSigma() {
        int n = 200_000;
        var filter = BloomFilter.withBits(8L * n, 6); // 8 bits per key, k = 6
        var random = new SplittableRandom(2024);
        for (int i = 0; i < n; i++) {
            filter.add(random.nextLong());
        }
        int probes = 1_000_000;
        int positives = 0;
        var others = new SplittableRandom(99); // a different stream: collisions have probability ~2^-44
        for (int i = 0; i < probes; i++) {
            positives += filter.mightContain(others.nextLong()) ? 1 : 0;
        }
        double p = BloomFilter.predictedFpp(n, filter.bitSize(), filter.hashCount());
        double sigma = Math.sqrt(p * (1 - p) / probes);
        assertThat(p).isCloseTo(Math.pow(1 - Math.exp(-6.0 / 8), 6), within(1e-12));
        assertThat((double) positives / probes).isCloseTo(p, within(4 * sigma));
        assertThat(filter.expectedFpp()).isCloseTo(p, within(4 * sigma));
    }

    @Test
    void createdFilterMeetsItsTargetRate() {
        int n = 100_000;
        var filter = BloomFilter.create(n, 0.02);
        LongStream.range(0, n).forEach(filter::add);
        int positives = 0;
        for (long k = n; k < n + 500_000; k++) {
            positives += filter.mightContain(k) ? 1 : 0;
        }
        double sigma = Math.sqrt(0.02 * 0.98 / 500_000);
        assertThat(positives / 500_000.0).isLessThan(0.02 + 4 * sigma);
    }

    @Test
    void enhancedDoubleHashingSpreadsProbesEvenWhenTheStepIsZero() {
        // With plain double hashing, h2 ≡ 0 (mod m) puts all k probes on one bit. The cubic term
        // of enhanced double hashing gives probes x, x, x+1, x+4, x+10: four distinct bits.
        var filter = BloomFilter.withBits(1000, 5);
        filter.addHash(123L << 40, 0);
        assertThat(filter.bitCount()).isEqualTo(4);
        assertThat(filter.containsHash(123L << 40, 0)).isTrue();
    }

    @Test
    void probesStayInRangeForTinyFiltersWithManyHashes() {
        for (long bits = 1; bits <= 70; bits++) {
            var filter = BloomFilter.withBits(bits, BloomFilter.MAX_HASHES);
            for (long key = 0; key < 50; key++) {
                filter.add(key);
                assertThat(filter.mightContain(key)).isTrue();
            }
            assertThat(filter.bitCount()).isLessThanOrEqualTo(bits);
        }
    }

    @Test
    void addReportsWhetherTheKeyWasNew() {
        var filter = BloomFilter.create(1000, 0.01);
        assertThat(filter.add("alpha")).isTrue();
        assertThat(filter.add("alpha")).isFalse();
        assertThat(filter.add(42L)).isTrue();
        assertThat(filter.add(FilterTest.littleEndian(42L))).isFalse();
    }

    @Test
    void estimatesTheKeyCountBySwamidassBaldiWithinTwoPercent() {
        var filter = BloomFilter.create(200_000, 0.01);
        var random = new SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            filter.add(random.nextLong());
        }
        assertThat((double) filter.approximateKeyCount()).isCloseTo(100_000, within(2_000.0));
        assertThat(BloomFilter.create(1000, 0.01).approximateKeyCount()).isZero();
    }

    @Test
    void estimatesAFullFilterAsUnbounded() {
        var filter = BloomFilter.withBits(64, 1);
        for (long k = 0; k < 10_000; k++) {
            filter.add(k);
        }
        assertThat(filter.bitCount()).isEqualTo(64);
        assertThat(filter.approximateKeyCount()).isEqualTo(Long.MAX_VALUE);
        assertThat(filter.expectedFpp()).isEqualTo(1.0);
    }

    @Test
    void unionHoldsTheKeysOfBothAndEqualsAddingBoth() {
        var a = BloomFilter.create(10_000, 0.01);
        var b = BloomFilter.create(10_000, 0.01);
        var both = BloomFilter.create(10_000, 0.01);
        for (long k = 0; k < 3000; k++) {
            a.add(k);
            both.add(k);
        }
        for (long k = 3000; k < 6000; k++) {
            b.add(k);
            both.add(k);
        }
        var union = a.union(b);
        for (long k = 0; k < 6000; k++) {
            assertThat(union.mightContain(k)).isTrue();
        }
        assertThat(union.words()).isEqualTo(both.words());
        assertThat(a.approximateKeyCount()).isLessThan(union.approximateKeyCount());
    }

    @Test
    void intersectionKeepsTheKeysInBoth() {
        var a = BloomFilter.create(10_000, 0.01);
        var b = BloomFilter.create(10_000, 0.01);
        for (long k = 0; k < 4000; k++) {
            a.add(k);
        }
        for (long k = 2000; k < 6000; k++) {
            b.add(k);
        }
        var intersection = a.intersect(b);
        for (long k = 2000; k < 4000; k++) {
            assertThat(intersection.mightContain(k)).isTrue();
        }
        long onlyInOne = LongStream.range(0, 2000).filter(intersection::mightContain).count()
                + LongStream.range(4000, 6000).filter(intersection::mightContain).count();
        assertThat(onlyInOne).isLessThan(20); // gone but for rare false positives
        assertThat(intersection.bitCount()).isLessThan(a.bitCount());
    }

    @Test
    void refusesToCombineFiltersOfDifferentShapesAndNamesBoth() {
        var small = BloomFilter.withBits(1024, 3);
        assertThatThrownBy(() -> small.union(BloomFilter.withBits(2048, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1024 bits").hasMessageContaining("2048 bits");
        assertThatThrownBy(() -> small.intersect(BloomFilter.withBits(1024, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 hashes").hasMessageContaining("4 hashes");
        assertThatThrownBy(() -> small.union(BloomFilter.withBits(1024, 3, 7)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seed 0").hasMessageContaining("seed 7");
    }

    @Test
    void differentSeedsGiveDifferentProbes() {
        var a = BloomFilter.withBits(1 << 16, 3, 1);
        var b = BloomFilter.withBits(1 << 16, 3, 2);
        a.add("key");
        b.add("key");
        assertThat(a.words()).isNotEqualTo(b.words());
        assertThat(a.seed()).isEqualTo(1);
    }

    @Test
    void concurrentAddsLoseNoBit() throws Exception {
        ConcurrentAdds.assertNoAddIsLost(n -> BloomFilter.create(n, 0.01), BloomFilter::words);
    }

    /** 2^31 + 64 bits = 256 MiB + 8 bytes: every index past 2^31 must be a long. */
    @Test
    void worksPastTwoToTheThirtyOneBitsAndStreamsWithoutAGiantArray() throws Exception {
        long bits = (1L << 31) + 64;
        var filter = BloomFilter.withBits(bits, 3);
        for (long i : new long[] {0, (1L << 31) - 1, 1L << 31, (1L << 31) + 1, bits - 1}) {
            assertThat(filter.getBit(i)).isFalse();
            assertThat(filter.setBit(i)).isTrue();
            assertThat(filter.getBit(i)).isTrue();
            assertThat(filter.setBit(i)).isFalse();
        }
        assertThat(filter.bitCount()).isEqualTo(5);
        for (long k = 0; k < 10_000; k++) {
            filter.add(k);
        }
        long[] words = filter.words();
        long upperHalf = 0;
        for (int w = 1 << 24; w < words.length; w++) { // the words holding bits ≥ 2^30
            upperHalf += Long.bitCount(words[w]);
        }
        assertThat(upperHalf).as("probes spread over the upper half").isBetween(14_000L, 16_000L);
        assertThat(BloomFilter.reduce(-1L, bits)).as("the largest hash maps to the last bit").isEqualTo(bits - 1);

        // Stream it through a pipe: no byte array of the payload's size is ever built.
        var in = new PipedInputStream(1 << 20);
        var out = new PipedOutputStream(in);
        BloomFilter copy;
        try (ExecutorService writer = Executors.newSingleThreadExecutor()) {
            Future<?> written = writer.submit(() -> {
                try (OutputStream o = out) {
                    filter.writeTo(o);
                }
                return null;
            });
            try {
                copy = (BloomFilter) Filters.read(in);
            } finally {
                in.close(); // unblocks the writer if reading failed
            }
            written.get();
        }
        assertThat(copy.bitSize()).isEqualTo(bits);
        assertThat(copy.getBit(bits - 1)).isTrue();
        assertThat(copy.getBit(bits - 2)).isEqualTo(filter.getBit(bits - 2));
        for (long k = 0; k < 10_000; k++) {
            assertThat(copy.mightContain(k)).isTrue();
        }
        assertThat(java.util.Arrays.equals(copy.words(), filter.words())).isTrue();
    }

    @Test
    void rejectsBadArgumentsNamingTheValue() {
        assertThatThrownBy(() -> BloomFilter.create(0, 0.01))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expectedKeys").hasMessageContaining("0");
        assertThatThrownBy(() -> BloomFilter.create(-5, 0.01)).hasMessageContaining("-5");
        for (double fpp : new double[] {0, 1, 1.5, -0.1, Double.NaN}) {
            assertThatThrownBy(() -> BloomFilter.create(100, fpp))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("fpp").hasMessageContaining(String.valueOf(fpp)).hasMessageContaining("(0, 1)");
        }
        assertThatThrownBy(() -> BloomFilter.withBits(0, 3)).hasMessageContaining("bits").hasMessageContaining("got 0");
        assertThatThrownBy(() -> BloomFilter.withBits(1L << 40, 3)).hasMessageContaining(String.valueOf(1L << 40));
        assertThatThrownBy(() -> BloomFilter.withBits(64, 0)).hasMessageContaining("hashes").hasMessageContaining("got 0");
        assertThatThrownBy(() -> BloomFilter.withBits(64, 65)).hasMessageContaining("[1, 64]").hasMessageContaining("65");
        assertThatThrownBy(() -> BloomFilter.create(Long.MAX_VALUE / 2, 1e-9))
                .hasMessageContaining("more than the maximum");
    }

    @Test
    void writeToDoesNotCloseTheStream() throws IOException {
        var closed = new boolean[1];
        var sink = new java.io.ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        BloomFilter.create(10, 0.1).writeTo(sink);
        assertThat(closed[0]).isFalse();
        assertThat(sink.size()).isPositive();
    }
}
