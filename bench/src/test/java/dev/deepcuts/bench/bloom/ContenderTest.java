package dev.deepcuts.bench.bloom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ContenderTest {

    @Test
    void everyFilterFindsAllItsKeysAtAboutItsTargetRate() {
        long[] members = Keys.members(200_000);
        long[] nonMembers = Keys.negativeProbes(200_000);
        for (Contender c : Contender.values()) {
            var a = c.measure(members, nonMembers); // throws on a false negative
            assertThat(a.bitsPerKey()).as("%s bits per key", c.label).isBetween(8.5, 11.0);
            if (c.mutable) {
                assertThat(a.falsePositiveRate()).as("%s at a 1%% target", c.label).isBetween(0.005, 0.02);
            } else {
                // FastFilter's static filters draw a random seed at every construction, so their rate
                // varies from run to run (0.66% was seen once for 200,000 keys); ours is seeded and steady
                assertThat(a.falsePositiveRate()).as("%s with 8-bit fingerprints", c.label).isBetween(0.002, c.ours ? 0.006 : 0.012);
            }
        }
    }

    @Test
    void ourClassicFilterAndItsPeersGetTheSameBitsPerKey() {
        long[] members = Keys.members(100_000);
        double ours = Contender.BLOOM_FILTER.build(members).bits() / 100_000.0;
        assertThat(ours).isCloseTo(9.585, within(0.01));
        assertThat(Contender.GUAVA.build(members).bits() / 100_000.0).isCloseTo(ours, within(0.01));
        assertThat(Contender.FASTFILTER_BLOOM.build(members).bits() / 100_000.0).isCloseTo(ours, within(0.01));
    }

    @Test
    void eachOfOursHasPeersAndPeersHaveNone() {
        for (Contender c : Contender.values()) {
            if (c.ours) {
                assertThat(c.peers()).isNotEmpty().allSatisfy(p -> {
                    assertThat(p.ours).isFalse();
                    assertThat(p.mutable).as("a peer of %s takes keys the same way", c.label).isEqualTo(c.mutable);
                });
            } else {
                assertThatThrownBy(c::peers).isInstanceOf(IllegalStateException.class);
            }
        }
        assertThat(Contender.byMethod("guava")).isEqualTo(Contender.GUAVA);
        assertThatThrownBy(() -> Contender.byMethod("cuckoo")).hasMessageContaining("cuckoo");
    }
}
