package dev.deepcuts.bloom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class BlockedBloomFilterTest {

    @Test
    void allProbesOfAKeyLandInOneBlock() {
        var random = new SplittableRandom(11);
        for (int trial = 0; trial < 2000; trial++) {
            var filter = BlockedBloomFilter.withBits(64 * 512);
            long key = random.nextLong();
            filter.add(key);
            long[] words = filter.words();
            int firstWord = -1;
            int lastWord = -1;
            int used = 0;
            for (int w = 0; w < words.length; w++) {
                if (words[w] != 0) {
                    firstWord = firstWord < 0 ? w : firstWord;
                    lastWord = w;
                    used++;
                    // three positions per word, which may coincide
                    assertThat(Long.bitCount(words[w])).isBetween(1, 3);
                }
            }
            assertThat(used).as("two words").isEqualTo(2);
            assertThat(firstWord / 8).as("one block").isEqualTo(lastWord / 8);
            assertThat(firstWord / 8).isEqualTo(filter.blockIndex(KeyHash.mix(key, BlockedBloomFilter.SEED)));
            assertThat(firstWord % 8).as("one word in the first half").isLessThan(4);
            assertThat(lastWord % 8).as("one word in the second half").isGreaterThanOrEqualTo(4);
            assertThat(filter.mightContain(key)).isTrue();
        }
    }

    @Test
    void spreadsKeysEvenlyOverTheBlocks() {
        var filter = BlockedBloomFilter.withBits(100 * 512);
        int[] perBlock = new int[100];
        var random = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            perBlock[filter.blockIndex(random.nextLong())]++;
        }
        for (int count : perBlock) {
            assertThat(count).isBetween(1000 - 160, 1000 + 160); // ±5σ of a binomial(1e5, 1/100)
        }
    }

    @Property(tries = 200)
    void everyBlocksKeysSpreadEvenlyOverItsSixteenWordPairs(
            @ForAll("largeBlockCounts") long blocks, @ForAll long anyH) {
        // The block is the high half of t · blocks (t = the hash's top 32 bits), the word pair the
        // top four bits of the low half. Over all the t of one block, each of the 16 pairs must
        // come up equally often, to within one: at 2^24 blocks (256 values of t per block) that is
        // within 1/16, and a bad choice of bits would give some pairs twice the share of others.
        long t0 = anyH >>> 32;
        long block = (t0 * blocks) >>> 32;
        long first = ((block << 32) + blocks - 1) / blocks; // the smallest t in that block
        long count = 0;
        int[] pairs = new int[16];
        for (long t = first; t < 1L << 32 && ((t * blocks) >>> 32) == block && count < 1 << 17; t++, count++) {
            long p = t * blocks;
            pairs[BlockedBloomFilter.firstWord(p) * 4 + BlockedBloomFilter.secondWord(p) - 4]++;
        }
        assertThat(count).as("a block of a large filter spans few values of t").isLessThan(1 << 17);
        int min = Arrays.stream(pairs).min().orElseThrow();
        int max = Arrays.stream(pairs).max().orElseThrow();
        assertThat(max - min).as("%d blocks, block %d, %d values of t", blocks, block, count).isLessThanOrEqualTo(1);
    }

    /** Block counts from 2^16 + 1 to MAX_BLOCKS, uniformly: the sizes where a block spans few values of t. */
    @Provide
    Arbitrary<Long> largeBlockCounts() {
        return Arbitraries.longs().between((1 << 16) + 1, BlockedBloomFilter.MAX_BLOCKS)
                .withDistribution(RandomDistribution.uniform()).edgeCases(c -> c.add(10_000_000L));
    }

    @Test
    void lookupsAndAddsPlaceAKeyByTheProductOfItsTopBitsAndTheBlockCount() {
        var filter = BlockedBloomFilter.withBits(12_345L * 512);
        var random = new SplittableRandom(17);
        for (int i = 0; i < 10_000; i++) {
            long h = random.nextLong();
            long p = filter.place(h);
            assertThat(p).isEqualTo((h >>> 32) * 12_345L);
            assertThat(filter.blockIndex(h)).isEqualTo((int) (p >>> 32));
            long[] before = filter.words().clone();
            filter.addHash(h);
            long[] words = filter.words();
            for (int w = 0; w < words.length; w++) {
                boolean expected = w == 8 * (p >>> 32) + BlockedBloomFilter.firstWord(p)
                        || w == 8 * (p >>> 32) + BlockedBloomFilter.secondWord(p);
                if (!expected) {
                    assertThat(words[w]).as("word %d untouched", w).isEqualTo(before[w]);
                }
            }
            assertThat(filter.containsHash(h)).isTrue();
        }
    }

    @Test
    void measuredFalsePositiveRateMatchesTheBlockedFormula() {
        int n = 100_000;
        var filter = BlockedBloomFilter.withBits(10L * n);
        var random = new SplittableRandom(77);
        for (int i = 0; i < n; i++) {
            filter.add(random.nextLong());
        }
        int probes = 1_000_000;
        int positives = 0;
        var others = new SplittableRandom(78);
        for (int i = 0; i < probes; i++) {
            positives += filter.mightContain(others.nextLong()) ? 1 : 0;
        }
        double measured = (double) positives / probes;
        double predicted = BlockedBloomFilter.predictedFpp(n, filter.bitSize());
        double sigma = Math.sqrt(predicted * (1 - predicted) / probes);
        assertThat(measured).isCloseTo(predicted, within(4 * sigma + 0.02 * predicted));
        // the fill-based estimate is exact for this filter's actual bits
        assertThat(filter.expectedFpp()).isCloseTo(measured, within(4 * sigma));
        // and a blocked filter is measurably worse than a classic one of the same size
        assertThat(predicted).isGreaterThan(BloomFilter.predictedFpp(n, filter.bitSize(), 7) * 1.1);
        // and the exact formula is not the textbook one: a 64-bit word is a tiny filter
        double lambdaWord = n / (double) filter.blockCount() / 4;
        double textbookHalf = Math.pow(-Math.expm1(3 * lambdaWord * Math.log1p(-1.0 / 64)), 3);
        assertThat(predicted).isGreaterThan(textbookHalf * textbookHalf);
    }

    @Test
    void createdFilterMeetsItsTargetRate() {
        int n = 100_000;
        var filter = BlockedBloomFilter.create(n, 0.01);
        assertThat(BlockedBloomFilter.predictedFpp(n, filter.bitSize())).isLessThanOrEqualTo(0.01);
        // one block fewer would miss it: create picks the smallest size
        assertThat(BlockedBloomFilter.predictedFpp(n, filter.bitSize() - 512)).isGreaterThan(0.01);
        // and the budget: at most 11 bits per key for 1%
        assertThat((double) filter.bitSize() / n).isLessThanOrEqualTo(11.0);
        // it needs more bits than the classic filter
        assertThat(filter.bitSize()).isGreaterThan(BloomFilter.optimalBits(n, 0.01));
        for (long k = 0; k < n; k++) {
            filter.add(k);
        }
        int positives = 0;
        for (long k = n; k < n + 500_000; k++) {
            positives += filter.mightContain(k) ? 1 : 0;
        }
        assertThat(positives / 500_000.0).isLessThan(0.01 + 4 * Math.sqrt(0.01 * 0.99 / 500_000));
    }

    @Test
    void concurrentAddsLoseNoBit() throws Exception {
        ConcurrentAdds.assertNoAddIsLost(n -> BlockedBloomFilter.create(n, 0.01), BlockedBloomFilter::words);
    }

    @Test
    void roundsBitsUpToWholeBlocks() {
        assertThat(BlockedBloomFilter.withBits(1).bitSize()).isEqualTo(512);
        assertThat(BlockedBloomFilter.withBits(513).blockCount()).isEqualTo(2);
    }

    @Test
    void rejectsBadArgumentsNamingTheValue() {
        assertThatThrownBy(() -> BlockedBloomFilter.create(0, 0.01)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expectedKeys").hasMessageContaining("got 0");
        assertThatThrownBy(() -> BlockedBloomFilter.create(10, 1.0)).hasMessageContaining("fpp").hasMessageContaining("1.0");
        assertThatThrownBy(() -> BlockedBloomFilter.withBits(-1)).hasMessageContaining("bits").hasMessageContaining("-1");
        assertThatThrownBy(() -> BlockedBloomFilter.create(Long.MAX_VALUE / 4, 0.01))
                .hasMessageContaining("more than the maximum");
    }
}
