package dev.deepcuts.bloom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitBlockBloomFilterTest {

    /** The SALT constants as printed in the Parquet specification, independent of the code. */
    private static final int[] SPEC_SALT = {
        0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d, 0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31,
    };

    @Test
    void anInsertIntoAnEmptyFilterSetsOneBitInEachWordOfOneBlockAsTheSpecSays() {
        var random = new SplittableRandom(8);
        for (int trial = 0; trial < 2000; trial++) {
            int blocks = 1 + random.nextInt(1000);
            var filter = SplitBlockBloomFilter.withBits(256L * blocks);
            long hash = random.nextLong();
            filter.addHash(hash);
            // the specification's block_index and mask, computed here from scratch
            int block = (int) (((hash >>> 32) * blocks) >>> 32);
            int[] words = filter.words();
            for (int w = 0; w < words.length; w++) {
                if (w / 8 == block) {
                    int expected = 1 << ((((int) hash) * SPEC_SALT[w % 8]) >>> 27);
                    assertThat(words[w]).as("word %d of block %d", w % 8, block).isEqualTo(expected);
                } else {
                    assertThat(words[w]).isZero();
                }
            }
            assertThat(filter.containsHash(hash)).isTrue();
        }
    }

    @Test
    void everyInsertSetsAtMostOneNewBitPerWordAllInOneBlock() {
        var filter = SplitBlockBloomFilter.withBits(256 * 64);
        var random = new SplittableRandom(9);
        for (int i = 0; i < 3000; i++) {
            int[] before = filter.words().clone();
            filter.add(random.nextLong());
            int[] after = filter.words();
            int block = -1;
            int newBits = 0;
            for (int w = 0; w < after.length; w++) {
                int added = after[w] & ~before[w];
                assertThat(before[w] & ~after[w]).as("bits never clear").isZero();
                if (added != 0) {
                    assertThat(Integer.bitCount(added)).as("one bit per word").isEqualTo(1);
                    block = block < 0 ? w / 8 : block;
                    assertThat(w / 8).as("one block").isEqualTo(block);
                    newBits++;
                }
            }
            assertThat(newBits).isBetween(0, 8);
        }
    }

    @Test
    void sizesByParquetsFormula() {
        // m = −8n / ln(1 − ε^(1/8))
        double bits = SplitBlockBloomFilter.optimalBits(1_000_000, 0.01);
        assertThat(bits).isCloseTo(-8e6 / Math.log(1 - Math.pow(0.01, 0.125)), within(1e-6));
        assertThat(bits / 1e6).isCloseTo(9.68, within(0.01));
        // a filter of exactly Parquet's size misses the target: keys fall into blocks unevenly
        assertThat(SplitBlockBloomFilter.predictedFpp(1_000_000, (long) Math.ceil(bits))).isGreaterThan(0.0135);
    }

    @Test
    void createMeetsItsTargetWithTheFewestBlocks() {
        var filter = SplitBlockBloomFilter.create(1_000_000, 0.01);
        assertThat(SplitBlockBloomFilter.predictedFpp(1_000_000, filter.bitSize())).isLessThanOrEqualTo(0.01);
        assertThat(SplitBlockBloomFilter.predictedFpp(1_000_000, filter.bitSize() - 256)).isGreaterThan(0.01);
        assertThat((double) filter.bitSize() / 1_000_000).isCloseTo(10.5, within(0.2)); // the spec's table: 10.5 bits for 1%
    }

    @Test
    void measuredFalsePositiveRateMatchesThePoissonFormulaNotParquetsTarget() {
        int n = 100_000;
        var filter = SplitBlockBloomFilter.withBits((long) Math.ceil(SplitBlockBloomFilter.optimalBits(n, 0.01)));
        var random = new SplittableRandom(12);
        for (int i = 0; i < n; i++) {
            filter.add(random.nextLong());
        }
        int probes = 1_000_000;
        int positives = 0;
        var others = new SplittableRandom(13);
        for (int i = 0; i < probes; i++) {
            positives += filter.mightContain(others.nextLong()) ? 1 : 0;
        }
        double measured = (double) positives / probes;
        double predicted = SplitBlockBloomFilter.predictedFpp(n, filter.bitSize());
        double sigma = Math.sqrt(predicted * (1 - predicted) / probes);
        assertThat(measured).isCloseTo(predicted, within(4 * sigma + 0.02 * predicted));
        assertThat(filter.expectedFpp()).isCloseTo(measured, within(4 * sigma));
        assertThat(measured).as("Parquet's formula is optimistic").isGreaterThan(0.0115);
    }

    @Test
    void concurrentAddsLoseNoBit() throws Exception {
        ConcurrentAdds.assertNoAddIsLost(n -> SplitBlockBloomFilter.create(n, 0.01), SplitBlockBloomFilter::words);
    }

    @Test
    void rejectsBadArgumentsNamingTheValue() {
        assertThatThrownBy(() -> SplitBlockBloomFilter.create(-3, 0.01)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expectedKeys").hasMessageContaining("-3");
        assertThatThrownBy(() -> SplitBlockBloomFilter.create(10, 0)).hasMessageContaining("fpp").hasMessageContaining("0.0");
        assertThatThrownBy(() -> SplitBlockBloomFilter.withBits(0)).hasMessageContaining("bits").hasMessageContaining("got 0");
        assertThatThrownBy(() -> SplitBlockBloomFilter.create(Long.MAX_VALUE / 4, 0.01))
                .hasMessageContaining("more than the maximum");
    }
}
