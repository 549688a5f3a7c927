package dev.deepcuts.crdt;

import java.util.Objects;

/**
 * A counter that goes up and down: two {@link GCounter}s, one for increments and one for
 * decrements, whose difference is the value. A decrement cannot simply lower an entry — the join
 * takes maxima, so a lowered entry would be overwritten by the old, higher one. Immutable.
 *
 * @param increments the increments of every replica
 * @param decrements the decrements of every replica
 */
public record PNCounter(GCounter increments, GCounter decrements) {

    public PNCounter {
        Objects.requireNonNull(increments, "increments");
        Objects.requireNonNull(decrements, "decrements");
    }

    /** The counter at zero. */
    public static PNCounter zero() {
        return new PNCounter(GCounter.zero(), GCounter.zero());
    }

    /** Increments minus decrements. */
    public long value() {
        return Math.subtractExact(increments.value(), decrements.value());
    }

    // region pncounter
    /** The delta of {@code replica} adding {@code amount} (negative to subtract). */
    public PNCounter add(String replica, long amount) {
        return amount >= 0 ? new PNCounter(increments.increment(replica, amount), GCounter.zero())
                : new PNCounter(GCounter.zero(), decrements.increment(replica, Math.negateExact(amount)));
    }

    /** The join of both halves. */
    public PNCounter join(PNCounter other) {
        return new PNCounter(increments.join(other.increments), decrements.join(other.decrements));
    }
    // endregion pncounter
}
