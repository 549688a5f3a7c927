package dev.deepcuts.bench.bloom;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;

import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void membersAreDistinctAndNoNonMemberIsAMember() {
        var seen = new HashSet<Long>();
        for (long k : Keys.members(100_000)) {
            seen.add(k);
        }
        assertThat(seen).hasSize(100_000);
        for (long k : Keys.negativeProbes(100_000)) {
            assertThat(seen.add(k)).as("non-member %d is new", k).isTrue();
        }
    }

    @Test
    void positiveProbesAreMembersAndTheSameEveryRun() {
        long[] members = Keys.members(1000);
        var set = new HashSet<Long>();
        for (long k : members) {
            set.add(k);
        }
        long[] probes = Keys.positiveProbes(1000, 5000);
        for (long p : probes) {
            assertThat(set).contains(p);
        }
        assertThat(Keys.positiveProbes(1000, 5000)).isEqualTo(probes);
        assertThat(Keys.members(1000)).isEqualTo(members);
    }
}
