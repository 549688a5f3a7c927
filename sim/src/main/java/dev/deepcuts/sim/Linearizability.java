package dev.deepcuts.sim;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks whether a {@link History} is linearizable with respect to a sequential {@link Model}:
 * whether there is a single order of the operations that respects real time (an operation that
 * completed before another was invoked comes first) and in which every completed operation returns
 * what the model says it would. An operation that never completed may be placed anywhere after
 * its invocation — or, equivalently for what anyone observed, at the very end.
 *
 * <p>The search is Wing and Gong's, with Lowe's memoisation of (set of linearized operations,
 * model state) [1][2], as in Knossos and Porcupine: it tries, depth first, each operation that is
 * "minimal" (no un-linearized operation completed before it was invoked), and backtracks when it
 * meets the completion of an operation it has not placed. The worst case is exponential; the
 * memo makes the histories of a lab (hundreds of operations, a few clients) quick.
 *
 * <p>[1] J. M. Wing, C. Gong, "Testing and Verifying Concurrent Objects", J. Parallel and
 * Distributed Computing 17(1), 1993.
 * <br>[2] G. Lowe, "Testing for linearizability", Concurrency and Computation: Practice and
 * Experience 29(4), 2017.
 */
public final class Linearizability {

    /**
     * The sequential specification of an object.
     *
     * @param <S> its state, a value with {@code equals} and {@code hashCode} (a record)
     * @param <I> operation inputs
     * @param <O> operation outputs
     */
    public interface Model<S, I, O> {
        /** The state before any operation. */
        S initial();

        /**
         * The state after applying {@code input} to {@code state}, if the model could answer
         * {@code output}; empty if it could not. {@code output} is null for an operation that never
         * completed, which any answer satisfies.
         */
        Optional<S> step(S state, I input, O output);
    }

    /**
     * The verdict.
     *
     * @param linearizable whether an order was found
     * @param order        an order of the operations if linearizable; otherwise the longest
     *                     prefix of one the search could build, which points at the trouble
     */
    public record Result<I, O>(boolean linearizable, List<History.Op<I, O>> order) {
    }

    private Linearizability() {
    }

    /** Checks {@code history} against {@code model}. */
    public static <S, I, O> Result<I, O> check(History<I, O> history, Model<S, I, O> model) {
        Objects.requireNonNull(model, "model");
        List<History.Op<I, O>> ops = history.ops();
        int n = ops.size();
        // events: a call and a return per operation, by time; at equal times calls come first, so
        // operations that touch the same instant count as concurrent
        List<Event> events = new ArrayList<>(2 * n);
        for (var op : ops) {
            events.add(new Event(op.id(), true, op.invokedAt()));
            events.add(new Event(op.id(), false, op.completedAt()));
        }
        events.sort(Comparator.comparingLong(Event::time).thenComparing(e -> !e.call()).thenComparingInt(Event::op));
        // a doubly linked list over the events, with a head sentinel at index 0
        int size = events.size() + 1;
        int[] next = new int[size];
        int[] prev = new int[size];
        int[] match = new int[size]; // call <-> its return
        int[] callOf = new int[n];
        int[] returnOf = new int[n];
        for (int i = 0; i < size; i++) {
            next[i] = i + 1 < size ? i + 1 : -1;
            prev[i] = i - 1;
        }
        for (int i = 1; i < size; i++) {
            Event e = events.get(i - 1);
            if (e.call()) callOf[e.op()] = i;
            else returnOf[e.op()] = i;
        }
        for (int k = 0; k < n; k++) {
            match[callOf[k]] = returnOf[k];
            match[returnOf[k]] = callOf[k];
        }

        // region wgl
        var stack = new ArrayList<Frame<S>>();
        Set<Object> seen = new HashSet<>();
        var linearized = new BitSet(n);
        List<History.Op<I, O>> best = List.of();
        S state = model.initial();
        int entry = next[0];
        while (next[0] != -1) {
            Event e = events.get(entry - 1);
            if (e.call()) {
                var op = ops.get(e.op());
                Optional<S> after = model.step(state, op.input(), op.completed() ? op.output() : null);
                BitSet with = (BitSet) linearized.clone();
                with.set(e.op());
                if (after.isPresent() && seen.add(List.of(with, after.get()))) {
                    stack.add(new Frame<>(entry, state));         // place op here; remember how to undo
                    state = after.get();
                    linearized.set(e.op());
                    unlink(entry, next, prev);
                    unlink(match[entry], next, prev);
                    entry = next[0];
                    if (stack.size() > best.size()) best = order(stack, events, ops);
                } else {
                    entry = next[entry];                          // try the next candidate
                }
            } else {                                              // reached a return not yet placed: backtrack
                if (stack.isEmpty()) return new Result<>(false, best);
                Frame<S> top = stack.removeLast();
                state = top.state();
                int call = top.entry();
                linearized.clear(events.get(call - 1).op());
                relink(match[call], next, prev);
                relink(call, next, prev);
                entry = next[call];
            }
        }
        // endregion wgl
        return new Result<>(true, order(stack, events, ops));
    }

    /** A call or return of operation {@code op} at {@code time}. */
    private record Event(int op, boolean call, long time) {
    }

    /** A placed operation: its call entry, and the model state before it. */
    private record Frame<S>(int entry, S state) {
    }

    private static <S, I, O> List<History.Op<I, O>> order(List<Frame<S>> stack, List<Event> events, List<History.Op<I, O>> ops) {
        var out = new ArrayList<History.Op<I, O>>(stack.size());
        for (Frame<S> f : stack) out.add(ops.get(events.get(f.entry() - 1).op()));
        return out;
    }

    private static void unlink(int i, int[] next, int[] prev) {
        next[prev[i]] = next[i];
        if (next[i] != -1) prev[next[i]] = prev[i];
    }

    private static void relink(int i, int[] next, int[] prev) {
        next[prev[i]] = i;
        if (next[i] != -1) prev[next[i]] = i;
    }
}
