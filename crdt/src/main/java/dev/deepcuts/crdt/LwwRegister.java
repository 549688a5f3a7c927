package dev.deepcuts.crdt;

import java.util.Objects;

/**
 * A last-writer-wins register: the write with the highest (timestamp, replica) wins, everywhere.
 * Simple, and lossy by design: of two concurrent writes one silently disappears — which is why a
 * timestamp from a {@link LamportClock} (not a wall clock, whose skew would let an older write win)
 * and a replica tie-breaker are the least it needs. Immutable.
 *
 * @param value     the winning value, or null before any write
 * @param timestamp the winner's timestamp (0 before any write)
 * @param replica   the winner's replica ("" before any write)
 * @param <V>       the value type
 */
public record LwwRegister<V>(V value, long timestamp, String replica) {

    public LwwRegister {
        Objects.requireNonNull(replica, "replica");
        if (timestamp < 0) throw new IllegalArgumentException("timestamp " + timestamp + " must not be negative");
    }

    /** The register before any write. */
    public static <V> LwwRegister<V> empty() {
        return new LwwRegister<>(null, 0, "");
    }

    /** The delta of {@code replica} writing {@code value} at {@code timestamp} (from its Lamport clock). */
    public LwwRegister<V> assign(V value, long timestamp, String replica) {
        Objects.requireNonNull(value, "value");
        if (timestamp < 1) throw new IllegalArgumentException("timestamp " + timestamp + " must be at least 1");
        return new LwwRegister<>(value, timestamp, replica);
    }

    // region lww
    /** The write with the higher (timestamp, replica) — the same winner on every replica. */
    public LwwRegister<V> join(LwwRegister<V> other) {
        int c = Long.compare(timestamp, other.timestamp);
        if (c == 0) c = replica.compareTo(other.replica);
        if (c == 0 && !Objects.equals(value, other.value)) {
            throw new IllegalStateException("two different writes share timestamp " + timestamp + " and replica '" + replica
                    + "': " + value + " and " + other.value + " (a replica reused a timestamp)");
        }
        return c >= 0 ? this : other;
    }
    // endregion lww
}
