package dev.deepcuts.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import org.junit.jupiter.api.Test;

class NetworkTest {

    /** Three nodes a, b, c; every delivery is recorded as "to<-from:message". */
    private static final class World {
        final Simulation sim;
        final Network<String> net;
        final List<Network.Envelope<String>> received = new ArrayList<>();

        World(long seed, NetworkConfig config) {
            sim = new Simulation(seed);
            net = new Network<>(sim, config, String::length);
            for (String n : List.of("a", "b", "c")) net.register(n, received::add);
        }

        List<String> messagesAt(String node) {
            return received.stream().filter(e -> e.to().equals(node)).map(Network.Envelope::message).toList();
        }
    }

    @Test
    void aReliableNetworkDeliversEverythingInOrderAfterTheLatency() {
        var w = new World(1, NetworkConfig.reliable(100));
        for (int i = 0; i < 10; i++) w.net.send("a", "b", "m" + i);
        w.sim.runUntilIdle(1000);
        assertThat(w.messagesAt("b")).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
        assertThat(w.received).allMatch(e -> e.deliverAt() - e.sentAt() == 100);
        assertThat(w.net.stats().delivered()).isEqualTo(10);
        assertThat(w.net.stats().bytesSent()).isEqualTo(20);
    }

    @Property(tries = 50)
    void everyDeliveryFallsWithinTheLatencyBounds(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        var w = new World(seed, NetworkConfig.jittery(50, 500).withDuplication(0.2));
        for (int i = 0; i < 100; i++) w.net.send(i % 2 == 0 ? "a" : "c", "b", "m" + i);
        w.sim.runUntilIdle(10_000);
        assertThat(w.received).as("seed %d", seed)
                .allMatch(e -> e.deliverAt() - e.sentAt() >= 50 && e.deliverAt() - e.sentAt() <= 500);
    }

    @Test
    void jitterReordersAndFifoDoesNot() {
        var loose = new World(7, NetworkConfig.jittery(10, 1000));
        var ordered = new World(7, NetworkConfig.jittery(10, 1000).withFifo(true));
        for (int i = 0; i < 50; i++) {
            loose.net.send("a", "b", Integer.toString(i));
            ordered.net.send("a", "b", Integer.toString(i));
            loose.sim.runFor(5);
            ordered.sim.runFor(5);
        }
        loose.sim.runUntilIdle(1000);
        ordered.sim.runUntilIdle(1000);
        List<String> inOrder = new ArrayList<>();
        for (int i = 0; i < 50; i++) inOrder.add(Integer.toString(i));
        assertThat(loose.messagesAt("b")).containsExactlyInAnyOrderElementsOf(inOrder).isNotEqualTo(inOrder);
        assertThat(ordered.messagesAt("b")).isEqualTo(inOrder);
    }

    @Test
    void lossAndDuplicationHappenAtAboutTheirRates() {
        var w = new World(11, NetworkConfig.jittery(1, 10).withLoss(0.1).withDuplication(0.05));
        int n = 20_000;
        for (int i = 0; i < n; i++) w.net.send("a", "b", "x");
        w.sim.runUntilIdle(100_000);
        var s = w.net.stats();
        assertThat((double) s.lost() / n).isCloseTo(0.1, within(0.01));
        assertThat((double) s.duplicated() / (n - s.lost())).isCloseTo(0.05, within(0.01));
        assertThat(s.delivered()).isEqualTo(n - s.lost() + s.duplicated());
        assertThat(w.received.stream().filter(Network.Envelope::duplicate).count()).isEqualTo(s.duplicated());
    }

    @Test
    void aPartitionDropsMessagesAcrossItAndHealingRestoresTheLink() {
        var w = new World(3, NetworkConfig.reliable(100));
        w.net.partition(Set.of("a"), Set.of("b", "c"));
        w.net.send("a", "b", "lost");
        w.net.send("b", "c", "same side");
        w.sim.runUntilIdle(100);
        assertThat(w.messagesAt("b")).isEmpty();
        assertThat(w.messagesAt("c")).containsExactly("same side");
        w.net.heal();
        w.net.send("a", "b", "after heal");
        w.sim.runUntilIdle(100);
        assertThat(w.messagesAt("b")).containsExactly("after heal");
        assertThat(w.net.stats().droppedByPartition()).isEqualTo(1);
    }

    @Test
    void aMessageInFlightWhenTheLinkIsCutIsLost() {
        var w = new World(4, NetworkConfig.reliable(100));
        w.net.send("a", "b", "in flight");
        w.sim.runFor(50);
        w.net.isolate("b");
        w.sim.runFor(100);
        w.net.heal();
        w.sim.runUntilIdle(100);
        assertThat(w.messagesAt("b")).isEmpty();
        assertThat(w.net.stats().droppedByPartition()).isEqualTo(1);
    }

    @Test
    void aOneWayBlockIsAsymmetric() {
        var w = new World(5, NetworkConfig.reliable(10));
        w.net.block("a", "b");
        w.net.send("a", "b", "blocked");
        w.net.send("b", "a", "passes");
        w.sim.runUntilIdle(100);
        assertThat(w.messagesAt("b")).isEmpty();
        assertThat(w.messagesAt("a")).containsExactly("passes");
        assertThat(w.net.connected("a", "b")).isFalse();
        assertThat(w.net.connected("b", "a")).isTrue();
    }

    @Test
    void theSameSeedReplaysTheSameRunExactly() {
        List<String> first = scenario(42);
        assertThat(scenario(42)).as("replay of seed 42").isEqualTo(first);
        assertThat(scenario(43)).isNotEqualTo(first);
    }

    private static List<String> scenario(long seed) {
        var w = new World(seed, NetworkConfig.jittery(10, 300).withLoss(0.1).withDuplication(0.1));
        w.net.trace(true);
        for (int i = 0; i < 200; i++) {
            w.net.broadcast(List.of("a", "b", "c").get(i % 3), "m" + i);
            if (i == 80) w.net.isolate("c");
            if (i == 150) w.net.heal();
            w.sim.runFor(7);
        }
        w.sim.runUntilIdle(10_000);
        return w.net.traceLines();
    }

    @Test
    void badInputIsNamed() {
        var w = new World(6, NetworkConfig.reliable(1));
        assertThatThrownBy(() -> w.net.send("a", "z", "x")).hasMessageContaining("'z'").hasMessageContaining("[a, b, c]");
        assertThatThrownBy(() -> w.net.register("a", e -> { })).hasMessageContaining("'a' is already registered");
        assertThatThrownBy(() -> w.net.partition(Set.of("a"), Set.of("b"))).hasMessageContaining("missing: [c]");
        assertThatThrownBy(() -> new NetworkConfig(10, 5, 0, 0, false)).hasMessageContaining("maxLatencyMicros=5");
        assertThatThrownBy(() -> NetworkConfig.reliable(1).withLoss(1.5)).hasMessageContaining("lossRate=1.5");
    }
}
