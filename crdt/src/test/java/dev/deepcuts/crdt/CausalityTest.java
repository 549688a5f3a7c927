package dev.deepcuts.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class CausalityTest {

    @Test
    void aLamportClockMovesPastWhatItReceives() {
        var a = new LamportClock();
        var b = new LamportClock();
        long sent = a.tick();             // a: 1
        b.tick();                         // b: 1
        b.tick();                         // b: 2
        long received = b.observe(sent);  // b: max(2, 1) + 1 = 3
        assertThat(received).isEqualTo(3);
        assertThat(a.observe(received)).isEqualTo(4);
    }

    @Test
    void vectorClocksTellHappenedBeforeFromConcurrent() {
        var start = VectorClock.empty();
        var a1 = start.increment("a");
        var a2 = a1.increment("a");
        var b1 = a1.increment("b");       // b saw a's first event, not its second
        assertThat(a1.happenedBefore(a2)).isTrue();
        assertThat(a1.happenedBefore(b1)).isTrue();
        assertThat(a2.concurrentWith(b1)).isTrue();
        assertThat(a2.compare(b1)).isEqualTo(VectorClock.Order.CONCURRENT);
        var merged = a2.merge(b1);
        assertThat(merged.entries()).isEqualTo(Map.of("a", 2L, "b", 1L));
        assertThat(a2.happenedBefore(merged)).isTrue();
        assertThat(merged.compare(merged)).isEqualTo(VectorClock.Order.EQUAL);
    }

    @Test
    void lamportOrderDoesNotImplyCausality() {
        // a's 5 local events give it a bigger timestamp than b's single event, though neither saw the other
        var a = new LamportClock();
        for (int i = 0; i < 5; i++) a.tick();
        var b = new LamportClock();
        assertThat(b.tick()).isLessThan(a.time());
        var va = VectorClock.empty();
        for (int i = 0; i < 5; i++) va = va.increment("a");
        var vb = VectorClock.empty().increment("b");
        assertThat(vb.concurrentWith(va)).as("vector clocks see what Lamport clocks cannot").isTrue();
    }

    @Test
    void aCausalContextFoldsOutOfOrderDotsIntoItsVector() {
        var c = CausalContext.empty().add(new Dot("a", 1)).add(new Dot("a", 3));
        assertThat(c.compact()).isEqualTo(Map.of("a", 1L));
        assertThat(c.cloud()).containsExactly(new Dot("a", 3));
        assertThat(c.contains(new Dot("a", 2))).isFalse();
        assertThat(c.nextDot("a")).isEqualTo(new Dot("a", 4));
        c = c.add(new Dot("a", 2));
        assertThat(c.compact()).isEqualTo(Map.of("a", 3L));
        assertThat(c.cloud()).isEmpty();
        assertThat(c.vector()).isEqualTo(VectorClock.of(Map.of("a", 3L)));
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> new Dot("a", 0)).hasMessageContaining("counter 0").hasMessageContaining("'a'");
        assertThatThrownBy(() -> VectorClock.of(Map.of("b", -1L))).hasMessageContaining("-1").hasMessageContaining("'b'");
        assertThatThrownBy(() -> GCounter.zero().increment("a", -2)).hasMessageContaining("-2").hasMessageContaining("only grows");
        assertThatThrownBy(() -> new LamportClock().observe(-5)).hasMessageContaining("-5");
    }

    @Test
    void replicasThatExchangeCountersInAnyOrderAgree() {
        GCounter a = GCounter.zero();
        GCounter b = GCounter.zero();
        GCounter da = a.increment("a", 3);
        a = a.join(da);
        GCounter db = b.increment("b", 4);
        b = b.join(db);
        // b receives a's delta twice, a receives b's whole state
        b = b.join(da).join(da);
        a = a.join(b);
        assertThat(a).isEqualTo(b);
        assertThat(a.value()).isEqualTo(7);
        var p = PNCounter.zero();
        p = p.join(p.add("a", 5)).join(p.add("b", -2));
        assertThat(p.value()).isEqualTo(3);
    }
}
