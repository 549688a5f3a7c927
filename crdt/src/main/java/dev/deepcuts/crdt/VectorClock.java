package dev.deepcuts.crdt;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A vector clock: for every replica, how many of its events are known. Unlike a Lamport clock it
 * captures causality exactly: a happened before b if and only if a's vector is ≤ b's in every entry
 * and they differ (Fidge 1988, Mattern 1989 [1][2]); two vectors where neither is ≤ the other
 * belong to <em>concurrent</em> events, which is what a CRDT must merge without a conflict.
 *
 * <p>Immutable; missing entries are zero.
 *
 * <p>[1] C. J. Fidge, "Timestamps in Message-Passing Systems That Preserve the Partial Ordering",
 * 11th Australian Computer Science Conference, 1988.
 * <br>[2] F. Mattern, "Virtual Time and Global States of Distributed Systems", Parallel and
 * Distributed Algorithms, 1989.
 */
public final class VectorClock {

    /** How two vector clocks relate. */
    public enum Order { BEFORE, AFTER, EQUAL, CONCURRENT }

    private static final VectorClock EMPTY = new VectorClock(new TreeMap<>());

    private final TreeMap<String, Long> entries; // never holds a zero

    private VectorClock(TreeMap<String, Long> entries) {
        this.entries = entries;
    }

    /** The clock that knows no events. */
    public static VectorClock empty() {
        return EMPTY;
    }

    /** A clock with the given entries (zeros are dropped). */
    public static VectorClock of(Map<String, Long> entries) {
        var copy = new TreeMap<String, Long>();
        entries.forEach((replica, count) -> {
            Objects.requireNonNull(replica, "replica");
            if (count < 0) throw new IllegalArgumentException("count " + count + " for replica '" + replica + "' must not be negative");
            if (count > 0) copy.put(replica, count);
        });
        return new VectorClock(copy);
    }

    /** How many events of {@code replica} this clock knows. */
    public long get(String replica) {
        return entries.getOrDefault(replica, 0L);
    }

    /** The clock after one more event at {@code replica}. */
    public VectorClock increment(String replica) {
        Objects.requireNonNull(replica, "replica");
        var copy = new TreeMap<>(entries);
        copy.merge(replica, 1L, Long::sum);
        return new VectorClock(copy);
    }

    // region vector-merge
    /** The least clock that knows everything both know: the entry-wise maximum. */
    public VectorClock merge(VectorClock other) {
        var copy = new TreeMap<>(entries);
        other.entries.forEach((replica, count) -> copy.merge(replica, count, Math::max));
        return new VectorClock(copy);
    }

    /** How this clock's event relates to {@code other}'s. */
    public Order compare(VectorClock other) {
        boolean someLess = false;
        boolean someGreater = false;
        var replicas = new java.util.TreeSet<>(entries.keySet());
        replicas.addAll(other.entries.keySet());
        for (String r : replicas) {
            long a = get(r);
            long b = other.get(r);
            if (a < b) someLess = true;
            if (a > b) someGreater = true;
        }
        if (someLess && someGreater) return Order.CONCURRENT;
        if (someLess) return Order.BEFORE;
        if (someGreater) return Order.AFTER;
        return Order.EQUAL;
    }
    // endregion vector-merge

    /** Whether this clock's event happened before {@code other}'s. */
    public boolean happenedBefore(VectorClock other) {
        return compare(other) == Order.BEFORE;
    }

    /** Whether neither event happened before the other. */
    public boolean concurrentWith(VectorClock other) {
        return compare(other) == Order.CONCURRENT;
    }

    /** The non-zero entries, sorted by replica. */
    public Map<String, Long> entries() {
        return Collections.unmodifiableMap(entries);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VectorClock v && entries.equals(v.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
