package dev.deepcuts.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import org.junit.jupiter.api.Test;

class SetsAndRegistersTest {

    @Test
    void anAddConcurrentWithARemoveWins() {
        var a = OrSet.<String>empty();
        a = a.join(a.add("a", "x"));
        var b = OrSet.<String>empty().join(a);           // b has seen x
        var removal = b.remove("x");                      // b removes the x it saw...
        var readd = a.add("a", "x");                      // ...while a adds x again, concurrently
        a = a.join(readd).join(removal);
        b = b.join(removal).join(readd);
        assertThat(a.contains("x")).as("add wins").isTrue();
        assertThat(a).isEqualTo(b);
    }

    @Test
    void aRemoveOfEverythingObservedRemovesAndTheElementCanComeBack() {
        var s = OrSet.<String>empty();
        s = s.join(s.add("a", "x"));
        s = s.join(s.add("b", "x"));
        s = s.join(s.remove("x"));
        assertThat(s.contains("x")).isFalse();
        assertThat(s.store()).isEmpty();                  // no tombstone: only the context remembers
        s = s.join(s.add("a", "x"));
        assertThat(s.contains("x")).isTrue();
    }

    @Test
    void aTwoPhaseSetNeverForgetsARemoval() {
        var s = TwoPhaseSet.<String>empty();
        s = s.join(s.add("x"));
        s = s.join(s.remove("x"));
        s = s.join(s.add("x"));
        assertThat(s.contains("x")).isFalse();
        TwoPhaseSet<String> empty = TwoPhaseSet.empty();
        assertThatThrownBy(() -> empty.remove("y")).hasMessageContaining("cannot remove y");
    }

    @Test
    void concurrentWritesToAnMvRegisterAreAllKeptUntilOneWriteSeesThem() {
        var a = MvRegister.<String>empty();
        var b = MvRegister.<String>empty();
        var wa = a.assign("a", "red");
        var wb = b.assign("b", "blue");
        a = a.join(wa).join(wb);
        b = b.join(wb).join(wa);
        assertThat(a.values()).containsExactlyInAnyOrder("red", "blue");
        assertThat(a).isEqualTo(b);
        a = a.join(a.assign("a", "purple"));             // resolves the conflict it saw
        b = b.join(a);
        assertThat(b.values()).containsExactly("purple");
    }

    @Test
    void lastWriterWinsByTimestampThenReplica() {
        var r = LwwRegister.<String>empty();
        var early = r.assign("old", 1, "b");
        var late = r.assign("new", 2, "a");
        var tie = r.assign("tie", 2, "c");
        assertThat(early.join(late).value()).isEqualTo("new");
        assertThat(late.join(early).value()).isEqualTo("new");
        assertThat(late.join(tie).value()).as("same time: the higher replica id wins").isEqualTo("tie");
        assertThatThrownBy(() -> late.join(r.assign("other", 2, "a"))).hasMessageContaining("reused a timestamp");
    }

    /**
     * Three replicas apply random adds and removes, and exchange deltas through an unreliable
     * channel: deltas are delivered late, out of order and some twice. After everything is
     * delivered, every replica holds the same set — convergence, for any seed.
     */
    @Property(tries = 200)
    void orSetReplicasConvergeWhateverTheDeliveryOrder(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        var rnd = new SplittableRandom(seed);
        String[] names = {"a", "b", "c"};
        List<OrSet<Integer>> replicas = new ArrayList<>(List.of(OrSet.empty(), OrSet.empty(), OrSet.empty()));
        record InFlight(int to, OrSet<Integer> delta) {
        }
        List<InFlight> network = new ArrayList<>();
        for (int step = 0; step < 60; step++) {
            int r = rnd.nextInt(3);
            OrSet<Integer> state = replicas.get(r);
            int element = rnd.nextInt(5);
            OrSet<Integer> delta = rnd.nextInt(3) == 0 ? state.remove(element) : state.add(names[r], element);
            replicas.set(r, state.join(delta));
            for (int to = 0; to < 3; to++) {
                if (to == r) continue;
                network.add(new InFlight(to, delta));
                if (rnd.nextInt(5) == 0) network.add(new InFlight(to, delta));   // duplicated
            }
            while (!network.isEmpty() && rnd.nextBoolean()) {                     // deliver something, in random order
                var m = network.remove(rnd.nextInt(network.size()));
                replicas.set(m.to(), replicas.get(m.to()).join(m.delta()));
            }
        }
        while (!network.isEmpty()) {
            var m = network.remove(rnd.nextInt(network.size()));
            replicas.set(m.to(), replicas.get(m.to()).join(m.delta()));
        }
        assertThat(replicas.get(1)).as("seed %d", seed).isEqualTo(replicas.get(0));
        assertThat(replicas.get(2)).as("seed %d", seed).isEqualTo(replicas.get(0));
    }

    @Property(tries = 100)
    void orSetJoinIsASemilatticeOnReachableStates(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        var rnd = new SplittableRandom(seed);
        OrSet<Integer> x = randomHistory(rnd, "a");
        OrSet<Integer> y = randomHistory(rnd, "b").join(x.add("b", 9)); // share some history
        OrSet<Integer> z = randomHistory(rnd, "c");
        assertThat(x.join(y)).isEqualTo(y.join(x));
        assertThat(x.join(y).join(z)).isEqualTo(x.join(y.join(z)));
        assertThat(x.join(x)).isEqualTo(x);
        // add wins: an element present on both sides is present after the join
        var both = new java.util.HashSet<>(x.elements());
        both.retainAll(y.elements());
        assertThat(x.join(y).elements()).as("seed %d", seed).containsAll(both);
    }

    private static OrSet<Integer> randomHistory(SplittableRandom rnd, String replica) {
        OrSet<Integer> s = OrSet.empty();
        for (int i = 0; i < 15; i++) {
            int e = rnd.nextInt(4);
            s = s.join(rnd.nextBoolean() ? s.add(replica, e) : s.remove(e));
        }
        return s;
    }
}
