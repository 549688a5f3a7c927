package dev.deepcuts.crdt;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A grow-only counter, state-based: each replica counts its own increments in its own entry, and
 * two states join by taking each entry's maximum. The join is commutative, associative and
 * idempotent, so replicas converge whatever order, and however often, they exchange states
 * (Shapiro et al. [1]). {@link #increment} returns a <em>delta</em>: a tiny state holding only the
 * changed entry, which joins like a full state but costs a few bytes to ship [2].
 *
 * <p>Immutable.
 *
 * <p>[1] M. Shapiro, N. Preguiça, C. Baquero, M. Zawirski, "Conflict-free Replicated Data Types",
 * SSS 2011, https://doi.org/10.1007/978-3-642-24550-3_29
 * <br>[2] P. S. Almeida, A. Shoker, C. Baquero, "Delta State Replicated Data Types", 2018,
 * https://arxiv.org/abs/1603.01529
 */
public final class GCounter {

    private static final GCounter ZERO = new GCounter(new TreeMap<>());

    private final TreeMap<String, Long> counts; // no zero entries

    private GCounter(TreeMap<String, Long> counts) {
        this.counts = counts;
    }

    /** The counter at zero. */
    public static GCounter zero() {
        return ZERO;
    }

    /** The counter's value: the sum of every replica's increments. */
    public long value() {
        long v = 0;
        for (long c : counts.values()) v = Math.addExact(v, c);
        return v;
    }

    // region gcounter
    /** The delta of {@code replica} adding {@code amount} (≥ 0): only its entry, at its new count. */
    public GCounter increment(String replica, long amount) {
        Objects.requireNonNull(replica, "replica");
        if (amount < 0) throw new IllegalArgumentException("amount " + amount + " must not be negative: a G-Counter only grows");
        var delta = new TreeMap<String, Long>();
        delta.put(replica, Math.addExact(counts.getOrDefault(replica, 0L), amount));
        return new GCounter(delta);
    }

    /** The least state that includes both: the maximum of each entry. */
    public GCounter join(GCounter other) {
        var c = new TreeMap<>(counts);
        other.counts.forEach((r, n) -> c.merge(r, n, Math::max));
        return new GCounter(c);
    }
    // endregion gcounter

    /** The entries, replica to its own count. */
    public Map<String, Long> counts() {
        return Collections.unmodifiableMap(counts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GCounter g && counts.equals(g.counts);
    }

    @Override
    public int hashCode() {
        return counts.hashCode();
    }

    @Override
    public String toString() {
        return "GCounter" + counts;
    }
}
