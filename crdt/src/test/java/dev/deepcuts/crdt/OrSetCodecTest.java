package dev.deepcuts.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import org.junit.jupiter.api.Test;

class OrSetCodecTest {

    private static OrSet<Integer> history(long seed) {
        var rnd = new SplittableRandom(seed);
        OrSet<Integer> a = OrSet.empty();
        OrSet<Integer> b = OrSet.empty();
        for (int i = 0; i < 40; i++) {
            int e = rnd.nextInt(20) - 10;
            if (rnd.nextBoolean()) a = a.join(rnd.nextInt(3) == 0 ? a.remove(e) : a.add("alice", e));
            else b = b.join(rnd.nextInt(3) == 0 ? b.remove(e) : b.add("bob", e));
            if (rnd.nextInt(5) == 0) a = a.join(b);
        }
        return a;
    }

    @Property(tries = 100)
    void roundTripsEveryReachableState(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        var set = history(seed);
        assertThat(OrSetCodec.decode(OrSetCodec.encode(set))).isEqualTo(set);
    }

    @Test
    void rejectsTruncatedInputNamingTheOffset() {
        byte[] bytes = OrSetCodec.encode(history(1));
        for (int len = 0; len < bytes.length; len++) {
            byte[] cut = Arrays.copyOf(bytes, len);
            assertThatThrownBy(() -> OrSetCodec.decode(cut)).as("length %d", len)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at offset")
                    .hasMessageMatching(".*(checksum mismatch|truncated).*");
        }
    }

    @Test
    void detectsEveryFlippedByteByItsChecksum() {
        byte[] bytes = OrSetCodec.encode(history(2));
        for (int i = 0; i < bytes.length; i++) {
            byte[] bad = bytes.clone();
            bad[i] ^= 0x10;
            assertThatThrownBy(() -> OrSetCodec.decode(bad)).as("flip at %d", i)
                    .hasMessageContaining("checksum mismatch").hasMessageContaining("at offset " + (bytes.length - 4));
        }
    }

}
