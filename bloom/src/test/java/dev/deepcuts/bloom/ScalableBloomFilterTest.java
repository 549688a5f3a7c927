package dev.deepcuts.bloom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ScalableBloomFilterTest {

    @Test
    void staysUnderItsFalsePositiveBoundAfterGrowingToAHundredTimesItsInitialCapacity() {
        var filter = ScalableBloomFilter.create(1000, 0.01);
        var random = new SplittableRandom(100);
        for (int i = 0; i < 100_000; i++) {
            filter.add(random.nextLong());
        }
        assertThat(filter.stageCount()).isEqualTo(7); // 1 + 2 + ... + 64 = 127 thousand ≥ 100 thousand
        int probes = 1_000_000;
        int positives = 0;
        var others = new SplittableRandom(101);
        for (int i = 0; i < probes; i++) {
            positives += filter.mightContain(others.nextLong()) ? 1 : 0;
        }
        double measured = (double) positives / probes;
        double bound = filter.fppBound();
        assertThat(bound).isEqualTo(0.01);
        assertThat(measured).isLessThan(bound - 4 * Math.sqrt(bound / probes));
        assertThat(filter.expectedFpp()).isLessThan(bound);
        assertThat(filter.expectedFpp()).isCloseTo(measured, within(4 * Math.sqrt(measured / probes)));
    }

    @Test
    void stagesGrowGeometricallyAndTighten() {
        var filter = ScalableBloomFilter.create(500, 0.02, 2, 0.8);
        for (long k = 0; k < 20_000; k++) {
            filter.add(k);
        }
        int stages = filter.stageCount();
        assertThat(stages).isGreaterThanOrEqualTo(5);
        for (int i = 0; i < stages; i++) {
            assertThat(filter.stageCapacity(i)).isEqualTo(500L << i);
            assertThat(filter.stageFpp(i)).isCloseTo(0.02 * 0.2 * Math.pow(0.8, i), within(1e-15));
        }
        for (int i = 1; i < stages; i++) {
            // twice the keys at a tighter rate: a little more than twice the bits
            double ratio = (double) filter.stageBitSize(i) / filter.stageBitSize(i - 1);
            assertThat(ratio).isBetween(2.0, 2.2);
        }
        double sum = 0;
        for (int i = 0; i < 1000; i++) {
            sum += 0.02 * 0.2 * Math.pow(0.8, i);
        }
        assertThat(sum).as("Σ P0 r^i = P0/(1−r) = P").isCloseTo(0.02, within(1e-12));
    }

    @Test
    void growsByTheChosenFactor() {
        var filter = ScalableBloomFilter.create(100, 0.01, 4, 0.9);
        for (long k = 0; k < 8_000; k++) {
            filter.add(k);
        }
        assertThat(filter.stageCount()).isEqualTo(4); // 100 + 400 + 1600 < 8000 < 100 + ... + 6400
        assertThat(filter.stageCapacity(3)).isEqualTo(6400);
        assertThat(filter.growth()).isEqualTo(4);
        assertThat(filter.tightening()).isEqualTo(0.9);
    }

    @Test
    void aRepeatedKeyDoesNotUseCapacity() {
        var filter = ScalableBloomFilter.create(10, 0.01);
        for (int i = 0; i < 1000; i++) {
            filter.add("same");
        }
        assertThat(filter.keyCount()).isEqualTo(1);
        assertThat(filter.stageCount()).isEqualTo(1);
    }

    @Test
    void concurrentAddsAndLookupsLoseNoKey() throws Exception {
        var filter = ScalableBloomFilter.create(100, 0.01);
        int threads = 4;
        int perThread = 20_000;
        var start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            var futures = new java.util.ArrayList<Future<?>>();
            for (int t = 0; t < threads; t++) {
                long from = (long) t * perThread;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (long k = from; k < from + perThread; k++) {
                        filter.add(k);
                        if (!filter.mightContain(k)) {
                            throw new AssertionError("lost " + k + " right after adding it");
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (var f : futures) {
                f.get();
            }
        }
        for (long k = 0; k < (long) threads * perThread; k++) {
            assertThat(filter.mightContain(k)).isTrue();
        }
    }

    @Test
    void rejectsBadArgumentsNamingTheValue() {
        assertThatThrownBy(() -> ScalableBloomFilter.create(0, 0.01)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialCapacity").hasMessageContaining("got 0");
        assertThatThrownBy(() -> ScalableBloomFilter.create(10, -1)).hasMessageContaining("fpp").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> ScalableBloomFilter.create(10, 0.01, 1, 0.9)).hasMessageContaining("growth")
                .hasMessageContaining("got 1");
        assertThatThrownBy(() -> ScalableBloomFilter.create(10, 0.01, 2, 1.0)).hasMessageContaining("tightening")
                .hasMessageContaining("1.0");
        var filter = ScalableBloomFilter.create(10, 0.01);
        assertThatThrownBy(() -> filter.stageCapacity(1)).hasMessageContaining("stage").hasMessageContaining("got 1");
    }
}
