package dev.deepcuts.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.deepcuts.sim.Network;
import dev.deepcuts.sim.NetworkConfig;
import dev.deepcuts.sim.Simulation;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import org.junit.jupiter.api.Test;

class OpOrSetTest {

    @Test
    void anAddConcurrentWithARemoveWins() {
        var a = new OpOrSet<String>("a");
        var b = new OpOrSet<String>("b");
        var first = a.prepareAdd("x");
        a.apply(first);
        b.apply(first);
        var remove = b.prepareRemove("x");   // b removes the x it has seen...
        var again = a.prepareAdd("x");       // ...while a adds it again
        a.apply(again);
        a.apply(remove);
        b.apply(remove);
        b.apply(again);
        assertThat(a.contains("x")).isTrue();
        assertThat(b.elements()).isEqualTo(a.elements());
    }

    @Property(tries = 100)
    void replicasOverCausalBroadcastConverge(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        var sim = new Simulation(seed);
        var net = new Network<CausalBroadcast.Message<OpOrSet.Op<Integer>>>(sim, NetworkConfig.jittery(10, 3_000).withDuplication(0.2), m -> 16);
        String[] names = {"a", "b", "c"};
        List<OpOrSet<Integer>> sets = new ArrayList<>();
        List<CausalBroadcast<OpOrSet.Op<Integer>>> nodes = new ArrayList<>();
        for (String r : names) {
            var set = new OpOrSet<Integer>(r);
            sets.add(set);
            nodes.add(new CausalBroadcast<>(r, net, set::apply));
        }
        var rnd = new SplittableRandom(seed);
        for (int i = 0; i < 80; i++) {
            int r = rnd.nextInt(3);
            int e = rnd.nextInt(6);
            var set = sets.get(r);
            nodes.get(r).broadcast(rnd.nextInt(3) == 0 ? set.prepareRemove(e) : set.prepareAdd(e));
            sim.runFor(rnd.nextInt(500));
        }
        sim.runUntilIdle(1_000_000);
        assertThat(sets.get(1).elements()).as("seed %d", seed).isEqualTo(sets.get(0).elements());
        assertThat(sets.get(2).elements()).as("seed %d", seed).isEqualTo(sets.get(0).elements());
    }
}
