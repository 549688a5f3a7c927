package dev.deepcuts.crdt;

import java.util.Objects;

/**
 * A two-phase set: a {@link GSet} of additions and a G-Set of removals (tombstones). An element is
 * in the set when added and not removed; once removed it can never come back — the price of using
 * only grow-only parts, and the reason the add-wins {@link OrSet} exists. Immutable.
 *
 * @param added   every element ever added
 * @param removed every element ever removed (tombstones, kept forever)
 * @param <E>     the element type
 */
public record TwoPhaseSet<E>(GSet<E> added, GSet<E> removed) {

    public TwoPhaseSet {
        Objects.requireNonNull(added, "added");
        Objects.requireNonNull(removed, "removed");
    }

    public static <E> TwoPhaseSet<E> empty() {
        return new TwoPhaseSet<>(GSet.empty(), GSet.empty());
    }

    // region two-phase
    public boolean contains(E e) {
        return added.contains(e) && !removed.contains(e);
    }

    /** The delta of adding {@code e} (which has no effect if {@code e} was ever removed). */
    public TwoPhaseSet<E> add(E e) {
        return new TwoPhaseSet<>(added.add(e), GSet.empty());
    }

    /** The delta of removing {@code e}; only an element this replica has seen added may be removed. */
    public TwoPhaseSet<E> remove(E e) {
        if (!added.contains(e)) throw new IllegalStateException("cannot remove " + e + ": this replica has not seen it added");
        return new TwoPhaseSet<>(GSet.empty(), removed.add(e));
    }
    // endregion two-phase

    public TwoPhaseSet<E> join(TwoPhaseSet<E> other) {
        return new TwoPhaseSet<>(added.join(other.added), removed.join(other.removed));
    }
}
