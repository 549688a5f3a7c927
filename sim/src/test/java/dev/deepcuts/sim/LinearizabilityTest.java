package dev.deepcuts.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.deepcuts.sim.RegisterModel.Cas;
import dev.deepcuts.sim.RegisterModel.Input;
import dev.deepcuts.sim.RegisterModel.Output;
import dev.deepcuts.sim.RegisterModel.Read;
import dev.deepcuts.sim.RegisterModel.Write;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import org.junit.jupiter.api.Test;

class LinearizabilityTest {

    private final RegisterModel register = new RegisterModel(0);

    private static void op(History<Input, Output> h, int process, Input in, Output out, long from, long to) {
        int id = h.invoke(process, in, from);
        h.complete(id, out, to);
    }

    private boolean linearizable(History<Input, Output> h) {
        return Linearizability.check(h, register).linearizable();
    }

    @Test
    void aSequentialHistoryIsLinearizable() {
        var h = new History<Input, Output>();
        op(h, 0, new Write(1), Output.done(), 0, 10);
        op(h, 0, new Read(), Output.read(1), 20, 30);
        op(h, 1, new Cas(1, 2), Output.done(), 40, 50);
        op(h, 1, new Read(), Output.read(2), 60, 70);
        var result = Linearizability.check(h, register);
        assertThat(result.linearizable()).isTrue();
        assertThat(result.order()).extracting(History.Op::id).containsExactly(0, 1, 2, 3);
    }

    @Test
    void aStaleReadAfterAnAcknowledgedWriteIsNot() {
        // the write completed at 10; a read invoked at 20 still sees the old value: split brain, or a stale replica
        var h = new History<Input, Output>();
        op(h, 0, new Write(1), Output.done(), 0, 10);
        op(h, 1, new Read(), Output.read(0), 20, 30);
        assertThat(linearizable(h)).isFalse();
    }

    @Test
    void aReadConcurrentWithAWriteMaySeeEitherValue() {
        for (long seen : new long[] {0, 1}) {
            var h = new History<Input, Output>();
            op(h, 0, new Write(1), Output.done(), 0, 100);
            op(h, 1, new Read(), Output.read(seen), 10, 20);
            assertThat(linearizable(h)).as("read %d", seen).isTrue();
        }
    }

    @Test
    void twoReadsCannotSeeNewThenOld() {
        // once a read has returned the new value, a later read must not return the old one
        var h = new History<Input, Output>();
        op(h, 0, new Write(1), Output.done(), 0, 100);
        op(h, 1, new Read(), Output.read(1), 10, 20);
        op(h, 2, new Read(), Output.read(0), 30, 40);
        assertThat(linearizable(h)).isFalse();
    }

    @Test
    void anUnfinishedWriteMayOrMayNotHaveHappened() {
        for (long seen : new long[] {0, 7}) {
            var h = new History<Input, Output>();
            int w = h.invoke(0, new Write(7), 0);
            h.abandon(w); // the client timed out: unknown outcome
            op(h, 1, new Read(), Output.read(seen), 50, 60);
            assertThat(linearizable(h)).as("read %d after an abandoned write", seen).isTrue();
        }
        var h = new History<Input, Output>();
        int w = h.invoke(0, new Write(7), 0);
        h.abandon(w);
        op(h, 1, new Read(), Output.read(8), 50, 60);
        assertThat(linearizable(h)).as("a value nobody wrote").isFalse();
    }

    @Test
    void twoSuccessfulCasFromTheSameValueAreNot() {
        // both clients think they won: the classic lost update of two leaders
        var h = new History<Input, Output>();
        op(h, 0, new Cas(0, 1), Output.done(), 0, 10);
        op(h, 1, new Cas(0, 2), Output.done(), 5, 15);
        assertThat(linearizable(h)).isFalse();
    }

    @Property(tries = 100)
    void historiesOfARealAtomicRegisterAreLinearizableAndACorruptedReadIsCaught(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        var rnd = new SplittableRandom(seed);
        var h = new History<Input, Output>();
        // three clients; each operation takes effect atomically at a point inside its interval
        long value = 0;
        long time = 0;
        long[] busyUntil = new long[3];
        List<Integer> reads = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int p = rnd.nextInt(3);
            long start = Math.max(time, busyUntil[p]);
            long effect = start + 1 + rnd.nextInt(5);
            long end = effect + 1 + rnd.nextInt(20);
            Input in;
            Output out;
            if (rnd.nextBoolean()) {
                in = new Read();
                out = Output.read(value);
            } else {
                long v = 1 + rnd.nextInt(5);
                in = new Write(v);
                out = Output.done();
                value = v;
            }
            int id = h.invoke(p, in, start);
            h.complete(id, out, end);
            if (in instanceof Read) reads.add(id);
            busyUntil[p] = end + 1;
            time = effect; // the next operation's effect comes later: effects are in history order
        }
        assertThat(linearizable(h)).as("seed %d", seed).isTrue();
        if (!reads.isEmpty()) {
            var bad = new History<Input, Output>();
            int victim = reads.get(rnd.nextInt(reads.size()));
            for (var op : h.ops()) {
                int id = bad.invoke(op.process(), op.input(), op.invokedAt());
                bad.complete(id, op.id() == victim ? Output.read(99) : op.output(), op.completedAt());
            }
            assertThat(linearizable(bad)).as("seed %d with read %d corrupted", seed, victim).isFalse();
        }
    }

    @Test
    void aProcessRunsOneOperationAtATime() {
        var h = new History<Input, Output>();
        h.invoke(0, new Read(), 0);
        assertThatThrownBy(() -> h.invoke(0, new Read(), 1)).hasMessageContaining("process 0").hasMessageContaining("still open");
    }
}
