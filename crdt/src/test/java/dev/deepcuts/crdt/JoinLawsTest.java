package dev.deepcuts.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * The three laws that make a state-based CRDT converge, for every type here: join is commutative
 * (order of delivery does not matter), associative (grouping does not matter) and idempotent
 * (duplicates do not matter). And the delta law: joining the delta of an operation is the same as
 * applying the operation to the full state.
 */
class JoinLawsTest extends Generators {

    @Property
    void vectorClockMergeIsASemilattice(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b, @ForAll("clocks") VectorClock c) {
        assertThat(a.merge(b)).isEqualTo(b.merge(a));
        assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
        assertThat(a.merge(a)).isEqualTo(a);
    }

    @Property
    void gCounterJoinIsASemilattice(@ForAll("gcounters") GCounter a, @ForAll("gcounters") GCounter b, @ForAll("gcounters") GCounter c) {
        assertThat(a.join(b)).isEqualTo(b.join(a));
        assertThat(a.join(b).join(c)).isEqualTo(a.join(b.join(c)));
        assertThat(a.join(a)).isEqualTo(a);
    }

    @Property
    void pnCounterJoinIsASemilattice(@ForAll("pncounters") PNCounter a, @ForAll("pncounters") PNCounter b, @ForAll("pncounters") PNCounter c) {
        assertThat(a.join(b)).isEqualTo(b.join(a));
        assertThat(a.join(b).join(c)).isEqualTo(a.join(b.join(c)));
        assertThat(a.join(a)).isEqualTo(a);
    }

    @Property
    void causalContextMergeIsASemilattice(@ForAll("contexts") CausalContext a, @ForAll("contexts") CausalContext b, @ForAll("contexts") CausalContext c) {
        assertThat(a.merge(b)).isEqualTo(b.merge(a));
        assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
        assertThat(a.merge(a)).isEqualTo(a);
    }

    @Property
    void aDeltaJoinsLikeTheOperationItCameFrom(@ForAll("gcounters") GCounter state, @ForAll("gcounters") GCounter elsewhere,
                                              @ForAll @LongRange(min = 0, max = 9) long amount) {
        GCounter delta = state.increment("b", amount);
        GCounter after = state.join(delta);
        assertThat(after.value()).isEqualTo(state.value() + amount);
        // the delta may reach another replica in any order with anything else: it still lands once
        assertThat(elsewhere.join(state).join(delta)).isEqualTo(elsewhere.join(delta).join(state).join(delta));
    }

    @Property
    void pnCounterValueIsIncrementsMinusDecrements(@ForAll("pncounters") PNCounter state, @ForAll @LongRange(min = -9, max = 9) long amount) {
        PNCounter after = state.join(state.add("c", amount));
        assertThat(after.value()).isEqualTo(state.value() + amount);
    }

    @Property
    void aMergedContextContainsExactlyTheDotsOfBoth(@ForAll("contexts") CausalContext a, @ForAll("contexts") CausalContext b,
                                                    @ForAll("replicasArb") String replica, @ForAll @LongRange(min = 1, max = 10) long counter) {
        var dot = new Dot(replica, counter);
        assertThat(a.merge(b).contains(dot)).isEqualTo(a.contains(dot) || b.contains(dot));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> replicasArb() {
        return replicas();
    }
}
