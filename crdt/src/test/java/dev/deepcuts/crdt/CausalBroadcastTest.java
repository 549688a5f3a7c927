package dev.deepcuts.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.deepcuts.sim.Network;
import dev.deepcuts.sim.NetworkConfig;
import dev.deepcuts.sim.Simulation;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import org.junit.jupiter.api.Test;

/**
 * What operation-based replication needs from the network, made visible: over a network that
 * reorders and duplicates, causal broadcast delivers each operation once and in causal order, and
 * an op-based counter converges; the same counter fed raw deliveries over-counts; a state-based
 * counter needs no help at all.
 */
class CausalBroadcastTest {

    private static final String[] REPLICAS = {"a", "b", "c"};

    /** An operation: add {@code amount}; {@code clock} is its broadcaster's clock, for the order check. */
    record Add(long amount, VectorClock clock) {
    }

    @Property(tries = 100)
    void opBasedCountersConvergeAndDeliveryIsCausalOverAReorderingDuplicatingNetwork(
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        var sim = new Simulation(seed);
        var net = new Network<CausalBroadcast.Message<Add>>(sim, NetworkConfig.jittery(10, 2_000).withDuplication(0.3), m -> 16);
        Map<String, Long> value = new HashMap<>();
        Map<String, List<Add>> deliveries = new HashMap<>();
        Map<String, CausalBroadcast<Add>> nodes = new HashMap<>();
        for (String r : REPLICAS) {
            value.put(r, 0L);
            deliveries.put(r, new ArrayList<>());
            nodes.put(r, new CausalBroadcast<>(r, net, op -> {
                value.merge(r, op.amount(), Long::sum);
                deliveries.get(r).add(op);
            }));
        }
        var rnd = new SplittableRandom(seed);
        long total = 0;
        for (int i = 0; i < 60; i++) {
            String r = REPLICAS[rnd.nextInt(3)];
            long amount = 1 + rnd.nextInt(9);
            total += amount;
            var node = nodes.get(r);
            node.broadcast(new Add(amount, node.delivered().increment(r)));
            sim.runFor(rnd.nextInt(300));
        }
        sim.runUntilIdle(1_000_000);
        for (String r : REPLICAS) {
            assertThat(value.get(r)).as("replica %s, seed %d", r, seed).isEqualTo(total);
            assertThat(nodes.get(r).buffered()).isZero();
            List<Add> order = deliveries.get(r);
            for (int i = 0; i < order.size(); i++) {
                for (int j = i + 1; j < order.size(); j++) {
                    assertThat(order.get(j).clock().happenedBefore(order.get(i).clock()))
                            .as("replica %s delivered an effect before its cause (seed %d)", r, seed).isFalse();
                }
            }
        }
        assertThat(nodes.values().stream().mapToLong(CausalBroadcast::duplicatesDropped).sum()).isPositive();
    }

    @Test
    void withoutExactlyOnceDeliveryAnOpBasedCounterOverCountsWhileAStateBasedOneConverges() {
        var sim = new Simulation(7);
        var ops = new Network<Long>(sim, NetworkConfig.jittery(10, 500).withDuplication(0.3), m -> 8);
        var states = new Network<GCounter>(sim, NetworkConfig.jittery(10, 500).withDuplication(0.3), g -> 8 * g.counts().size());
        Map<String, Long> naive = new HashMap<>();
        Map<String, GCounter> counters = new HashMap<>();
        for (String r : REPLICAS) {
            naive.put(r, 0L);
            counters.put(r, GCounter.zero());
            ops.register(r, e -> naive.merge(r, e.message(), Long::sum));                  // apply every delivery
            states.register(r, e -> counters.put(r, counters.get(r).join(e.message())));  // join every delivery
        }
        long total = 0;
        for (int i = 0; i < 100; i++) {
            String r = REPLICAS[i % 3];
            total += 1;
            naive.merge(r, 1L, Long::sum);
            ops.broadcast(r, 1L);
            counters.put(r, counters.get(r).join(counters.get(r).increment(r, 1)));
            states.broadcast(r, counters.get(r));
            sim.runFor(50);
        }
        sim.runUntilIdle(1_000_000);
        for (String r : REPLICAS) {
            assertThat(naive.get(r)).as("duplicated operations were applied twice at %s", r).isGreaterThan(total);
            assertThat(counters.get(r).value()).as("state-based at %s", r).isEqualTo(total);
        }
    }

    @Test
    void theOpCounterConvergesOverCausalBroadcastButNotOverARawDuplicatingNetwork() {
        var sim = new Simulation(11);
        var config = NetworkConfig.jittery(10, 500).withDuplication(0.3);
        var safe = new Network<CausalBroadcast.Message<OpCounter.Add>>(sim, config, m -> 8);
        var raw = new Network<OpCounter.Add>(sim, config, m -> 8);
        Map<String, OpCounter> good = new HashMap<>();
        Map<String, OpCounter> bad = new HashMap<>();
        Map<String, CausalBroadcast<OpCounter.Add>> nodes = new HashMap<>();
        for (String r : REPLICAS) {
            good.put(r, new OpCounter());
            bad.put(r, new OpCounter());
            nodes.put(r, new CausalBroadcast<>(r, safe, op -> good.get(r).apply(op)));
            raw.register(r, e -> bad.get(r).apply(e.message()));
        }
        long total = 0;
        for (int i = 0; i < 90; i++) {
            String r = REPLICAS[i % 3];
            long amount = i % 4 == 0 ? -2 : 3;
            total += amount;
            nodes.get(r).broadcast(good.get(r).prepare(amount));
            OpCounter.Add op = bad.get(r).prepare(amount);
            bad.get(r).apply(op);
            raw.broadcast(r, op);
            sim.runFor(40);
        }
        sim.runUntilIdle(1_000_000);
        for (String r : REPLICAS) {
            assertThat(good.get(r).value()).as("over causal broadcast at %s", r).isEqualTo(total);
            assertThat(good.get(r).applied()).isEqualTo(90);
            assertThat(bad.get(r).applied()).as("duplicates applied at %s", r).isGreaterThan(90);
        }
    }

    @Test
    void aLostMessageBlocksEverythingThatDependsOnIt() {
        var sim = new Simulation(3);
        var net = new Network<CausalBroadcast.Message<String>>(sim, NetworkConfig.reliable(100), m -> 1);
        Map<String, List<String>> got = new HashMap<>();
        Map<String, CausalBroadcast<String>> nodes = new HashMap<>();
        for (String r : REPLICAS) {
            got.put(r, new ArrayList<>());
            nodes.put(r, new CausalBroadcast<>(r, net, got.get(r)::add));
        }
        net.block("a", "c");                                  // a's message never reaches c...
        nodes.get("a").broadcast("question");
        sim.runUntilIdle(100);
        nodes.get("b").broadcast("answer");                   // ...but b's reply, which depends on it, does
        sim.runUntilIdle(100);
        assertThat(got.get("b")).containsExactly("question", "answer");
        assertThat(got.get("c")).as("the answer waits for a question that will never come").isEmpty();
        assertThat(nodes.get("c").buffered()).isEqualTo(1);
    }
}
