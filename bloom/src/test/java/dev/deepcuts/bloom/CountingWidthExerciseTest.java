package dev.deepcuts.bloom;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Exercise 5 of chapter 5 (book/05-bloom-filters.md): wider counters. With 4-bit counters a key
 * added twenty times saturates its counters and can never be removed. This test passes once
 * {@link CountingBloomFilter} counts to at least 255. Tagged {@code exercise}: excluded from the
 * default run; run it with
 * {@code ./mvnw -B -pl bloom -am verify -Dgroups=exercise -DexcludedGroups= -Dtest=CountingWidthExerciseTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("exercise")
class CountingWidthExerciseTest {

    @Test
    void aKeyAddedTwentyTimesCanBeRemovedTwentyTimes() {
        var filter = CountingBloomFilter.create(1_000, 0.01);
        for (int i = 0; i < 20; i++) filter.add(42L);
        assertThat(filter.saturatedCounters()).as("no counter saturates at 20").isZero();
        for (int i = 0; i < 20; i++) assertThat(filter.remove(42L)).isTrue();
        assertThat(filter.mightContain(42L)).as("every counter back to zero").isFalse();
    }
}
