package dev.deepcuts.bloom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CountingBloomFilterTest {

    @Test
    void removingEveryAddedKeyEmptiesTheFilter() {
        var filter = CountingBloomFilter.create(10_000, 0.01);
        var random = new SplittableRandom(1);
        long[] keys = random.longs(10_000).toArray();
        for (long k : keys) {
            filter.add(k);
        }
        for (long k : keys) {
            assertThat(filter.mightContain(k)).isTrue();
        }
        for (long k : keys) {
            assertThat(filter.remove(k)).isTrue();
        }
        assertThat(filter.expectedFpp()).isZero();
        for (long k : keys) {
            assertThat(filter.mightContain(k)).isFalse();
        }
    }

    @Test
    void removingSomeKeysKeepsAllTheOthers() {
        var filter = CountingBloomFilter.create(5_000, 0.01);
        for (long k = 0; k < 5_000; k++) {
            filter.add(k);
        }
        for (long k = 0; k < 5_000; k += 2) {
            filter.remove(k);
        }
        for (long k = 1; k < 5_000; k += 2) {
            assertThat(filter.mightContain(k)).as("odd key %d", k).isTrue();
        }
        long evensLeft = java.util.stream.LongStream.range(0, 5_000).filter(k -> k % 2 == 0)
                .filter(filter::mightContain).count();
        assertThat(evensLeft).isLessThan(100); // removed, but for the filter's false positives
    }

    @Test
    void addingTheSameKeyTwiceNeedsTwoRemoves() {
        var filter = CountingBloomFilter.create(100, 0.01);
        filter.add("twice");
        filter.add("twice");
        assertThat(filter.remove("twice")).isTrue();
        assertThat(filter.mightContain("twice")).isTrue();
        assertThat(filter.remove("twice")).isTrue();
        assertThat(filter.mightContain("twice")).isFalse();
    }

    @Test
    void countersSaturateAtFifteenAndThenNeverMove() {
        var filter = CountingBloomFilter.withCounters(10_000, 3);
        for (int i = 0; i < 20; i++) {
            filter.add(7L);
        }
        assertThat(filter.saturatedCounters()).isEqualTo(3);
        for (int i = 0; i < 20; i++) {
            assertThat(filter.remove(7L)).isTrue();
        }
        // decrementing a saturated counter could reach zero while keys remain: it stays at 15
        assertThat(filter.saturatedCounters()).isEqualTo(3);
        assertThat(filter.mightContain(7L)).isTrue();
        assertThat(filter.add(7L)).isFalse();
        assertThat(filter.saturatedCounters()).isEqualTo(3);
    }

    @Test
    void aCounterOfFourteenReachesFifteenThenSticks() {
        var filter = CountingBloomFilter.withCounters(16, 1);
        long index = -1;
        for (int i = 0; i < 14; i++) {
            filter.add(99L);
        }
        for (long c = 0; c < 16; c++) {
            if (filter.count(c) > 0) {
                index = c;
            }
        }
        assertThat(filter.count(index)).isEqualTo(14);
        assertThat(filter.saturatedCounters()).isZero();
        filter.add(99L);
        assertThat(filter.count(index)).isEqualTo(15);
        filter.add(99L);
        assertThat(filter.count(index)).isEqualTo(15);
        for (long c = 0; c < 16; c++) {
            if (c != index) {
                assertThat(filter.count(c)).as("no carry into counter %d", c).isZero();
            }
        }
    }

    @Test
    void removingAnAbsentKeyIsRefusedAndChangesNothing() {
        var filter = CountingBloomFilter.create(1000, 0.001);
        for (long k = 0; k < 1000; k++) {
            filter.add(k);
        }
        long absent = 1_000_000;
        while (filter.mightContain(absent)) {
            absent++;
        }
        double fppBefore = filter.expectedFpp();
        assertThat(filter.remove(absent)).isFalse();
        assertThat(filter.expectedFpp()).isEqualTo(fppBefore);
        for (long k = 0; k < 1000; k++) {
            assertThat(filter.mightContain(k)).isTrue();
        }
    }

    @Test
    void removingANeverAddedFalsePositiveCausesAFalseNegative() {
        // The documented hazard: the filter cannot tell a false positive from a real key.
        var filter = CountingBloomFilter.withCounters(16, 1);
        filter.add(1L);
        long impostor = 2;
        while (!filter.mightContain(impostor)) {
            impostor++;
        }
        assertThat(filter.remove(impostor)).isTrue();
        assertThat(filter.mightContain(1L)).as("key 1 was added and is now lost").isFalse();
    }

    @Test
    void nonZeroCountersAreExactlyTheBitsOfTheSameShapedBloomFilter() {
        var counting = CountingBloomFilter.withCounters(50_000, 5);
        var bloom = BloomFilter.withBits(50_000, 5);
        var random = new SplittableRandom(4);
        for (int i = 0; i < 5000; i++) {
            long k = random.nextLong();
            assertThat(counting.add(k)).isEqualTo(bloom.add(k));
        }
        for (int i = 0; i < 100_000; i++) {
            long k = random.nextLong();
            assertThat(counting.mightContain(k)).isEqualTo(bloom.mightContain(k));
        }
        assertThat(counting.expectedFpp()).isEqualTo(bloom.expectedFpp());
        assertThat(counting.bitSize()).isEqualTo(4 * bloom.bitSize());
    }

    @Test
    void rejectsBadArgumentsNamingTheValue() {
        assertThatThrownBy(() -> CountingBloomFilter.create(0, 0.01)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expectedKeys").hasMessageContaining("got 0");
        assertThatThrownBy(() -> CountingBloomFilter.create(10, 2.0)).hasMessageContaining("2.0");
        assertThatThrownBy(() -> CountingBloomFilter.withCounters(0, 3)).hasMessageContaining("counters")
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> CountingBloomFilter.withCounters(100, 100)).hasMessageContaining("hashes")
                .hasMessageContaining("100");
    }
}
