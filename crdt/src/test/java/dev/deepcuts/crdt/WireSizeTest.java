package dev.deepcuts.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import org.junit.jupiter.api.Test;

class WireSizeTest {

    /** The yardstick is the real codec's: for an OR-Set of integers the two agree to the byte. */
    @Property(tries = 100)
    void anOrSetMeasuresExactlyWhatItsCodecWrites(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        var rnd = new SplittableRandom(seed);
        OrSet<Integer> a = OrSet.empty();
        OrSet<Integer> b = OrSet.empty();
        for (int i = 0; i < 40; i++) {
            int e = rnd.nextInt(2000) - 1000;
            if (rnd.nextBoolean()) a = a.join(rnd.nextInt(3) == 0 ? a.remove(e) : a.add("alice", e));
            else b = b.join(rnd.nextInt(3) == 0 ? b.remove(e) : b.add("bob", e));
            if (rnd.nextInt(5) == 0) a = a.join(b);
            assertThat(WireSize.of(a)).as("seed %d", seed).isEqualTo(OrSetCodec.encode(a).length);
        }
    }

    @Test
    void countsEveryPartOfAState() {
        assertThat(WireSize.of(GCounter.zero())).isEqualTo(5 + 1);
        // one entry: count 1, replica "a" (1 + 1), counter 300 (2 bytes)
        assertThat(WireSize.of(GCounter.zero().increment("a", 300))).isEqualTo(5 + 1 + 2 + 2);
        assertThat(WireSize.of(LwwRegister.empty())).isEqualTo(5 + 1);
        // flag, "hi" (1 + 2), timestamp 1, replica "a" (1 + 1)
        assertThat(WireSize.of(LwwRegister.<String>empty().assign("hi", 1, "a"))).isEqualTo(5 + 1 + 3 + 1 + 2);
        var m = OrMap.<String, EmbeddedCounter>empty(EmbeddedCounter.empty());
        m = m.join(m.update("a", "k", EmbeddedCounter.add(-2)));
        // context: 1 compact entry ("a", 1) and an empty cloud; 1 entry: "k", 1 dot (a:1) → zig-zag(-2) = 3
        assertThat(WireSize.of(m)).isEqualTo(5 + (1 + 2 + 1 + 1) + (1 + 2 + 1 + (2 + 1) + 1));
    }

    @Test
    void rejectsWhatItCannotMeasureNamingTheType() {
        assertThatThrownBy(() -> WireSize.of("not a crdt")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String");
        assertThatThrownBy(() -> WireSize.of(GSet.<Double>empty().add(1.5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Double").hasMessageContaining("1.5");
    }
}
