package dev.deepcuts.crdt;

/**
 * An operation-based counter: a replica ships "add n" and every replica adds n once. The simplest
 * op-based CRDT, and the one that shows the network contract most plainly: addition commutes, so
 * order does not matter, but it is not idempotent, so every operation must be applied exactly once
 * ({@link CausalBroadcast} drops duplicates; a raw network would not). Compare {@link PNCounter},
 * whose state-based join makes duplicates harmless. Mutable; one per replica; not thread-safe.
 */
public final class OpCounter {

    /** The operation: add {@code amount} (negative to subtract). */
    public record Add(long amount) {
    }

    private long value;
    private long applied;

    // region op-counter
    /** Prepares adding {@code amount}; broadcast the result, then {@link #apply} it here too. */
    public Add prepare(long amount) {
        return new Add(amount);
    }

    /** Applies an operation. Call it exactly once per operation, at every replica. */
    public void apply(Add op) {
        value = Math.addExact(value, op.amount());
        applied++;
    }
    // endregion op-counter

    /** The current value. */
    public long value() {
        return value;
    }

    /** How many operations this replica has applied. */
    public long applied() {
        return applied;
    }
}
