package dev.deepcuts.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A history of operations on one object, as clients saw them: when each operation was invoked,
 * when (and with what output) it completed, or that it never completed (its client crashed or
 * timed out, so it may or may not have taken effect). This is what a Jepsen-style test records
 * and what {@link Linearizability} checks.
 *
 * <p>Times are the simulation's virtual microseconds; an operation A precedes B in real time when
 * A completed strictly before B was invoked. Not thread-safe.
 *
 * @param <I> the operation's input (e.g. a read, a write of a value)
 * @param <O> its output (e.g. the value read, "ok")
 */
public final class History<I, O> {

    /**
     * One operation.
     *
     * @param id          its index in the history
     * @param process     the client that ran it (one operation at a time per client)
     * @param input       what was asked
     * @param output      what was answered, or null if it never completed
     * @param invokedAt   when it was invoked
     * @param completedAt when it completed, or {@link Long#MAX_VALUE} if it never did
     */
    public record Op<I, O>(int id, int process, I input, O output, long invokedAt, long completedAt) {
        /** Whether the client saw an answer. */
        public boolean completed() {
            return completedAt != Long.MAX_VALUE;
        }

        @Override
        public String toString() {
            return "p" + process + " " + input + " -> " + (completed() ? output : "?") + " [" + invokedAt + ", "
                    + (completed() ? completedAt : "∞") + "]";
        }
    }

    private final List<Op<I, O>> ops = new ArrayList<>();
    private final List<Integer> openByProcess = new ArrayList<>();

    /** Records that {@code process} invoked {@code input} at {@code time}; returns the operation's id. */
    public int invoke(int process, I input, long time) {
        Objects.requireNonNull(input, "input");
        if (process < 0) throw new IllegalArgumentException("process " + process + " must not be negative");
        while (openByProcess.size() <= process) openByProcess.add(-1);
        if (openByProcess.get(process) >= 0) {
            throw new IllegalStateException("process " + process + " invoked " + input + " while " + ops.get(openByProcess.get(process)) + " is still open");
        }
        int id = ops.size();
        ops.add(new Op<>(id, process, input, null, time, Long.MAX_VALUE));
        openByProcess.set(process, id);
        return id;
    }

    /** Records that operation {@code id} completed at {@code time} with {@code output}. */
    public void complete(int id, O output, long time) {
        Objects.requireNonNull(output, "output");
        Op<I, O> op = ops.get(id);
        if (op.completed()) throw new IllegalStateException("operation " + op + " completed twice");
        if (time < op.invokedAt()) throw new IllegalArgumentException("operation " + op + " cannot complete at " + time + ", before it was invoked");
        ops.set(id, new Op<>(id, op.process(), op.input(), output, op.invokedAt(), time));
        openByProcess.set(op.process(), -1);
    }

    /**
     * Records that operation {@code id} will never complete (its client gave up): the process may
     * invoke again, and the operation may or may not have taken effect.
     */
    public void abandon(int id) {
        Op<I, O> op = ops.get(id);
        if (op.completed()) throw new IllegalStateException("operation " + op + " already completed");
        openByProcess.set(op.process(), -1);
    }

    /** The operations, in invocation order. */
    public List<Op<I, O>> ops() {
        return List.copyOf(ops);
    }

    /** The number of operations. */
    public int size() {
        return ops.size();
    }
}
