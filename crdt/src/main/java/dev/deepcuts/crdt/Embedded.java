package dev.deepcuts.crdt;

import java.util.Objects;
import java.util.Set;

/**
 * A CRDT that lives under a key of an {@link OrMap}: its state is a <em>dot store</em> — the dots
 * (events) of the updates it holds, and what each one wrote — while its causal context is the
 * map's, one context shared by every key at every depth. It is joined under contexts it does not
 * own, and changed only through {@link Mutator}s that the map runs for it.
 *
 * <p>Sealed: each permitted type is a dot store whose join laws and delta mutators are
 * property-tested with the map; a new embeddable type joins this list together with its tests.
 *
 * @param <V> the implementing type
 */
public sealed interface Embedded<V extends Embedded<V>> permits EmbeddedCounter, EmbeddedOrSet, EmbeddedMvRegister, EmbeddedOrMap {

    /**
     * The dot-store join: this value as held by a replica whose context is {@code mine}, with
     * {@code other} as held by one whose context is {@code theirs}. A dot survives when both hold
     * it, or when one holds it and the other has never seen it; a dot one side has seen but no
     * longer holds was removed there, and stays removed.
     */
    V join(CausalContext mine, V other, CausalContext theirs);

    /** Every dot this value holds: exactly what a remove of its key must cover. */
    Set<Dot> dots();

    /** Whether it holds no dot: the value an absent key reads as, never stored under a key. */
    boolean isEmpty();

    /**
     * An operation on an embedded value, in delta form: given the replica that runs it, the key's
     * current value (empty when the key is absent) and the map's shared context, it returns a
     * {@link Delta} — only the fresh dots it writes, and a context covering them and the dots it
     * overwrites. Fresh dots must come from {@code context.nextDot(replica)}, the map's context,
     * so that dots stay unique across the whole map.
     *
     * @param <V> the value type it changes
     */
    @FunctionalInterface
    interface Mutator<V extends Embedded<V>> {
        Delta<V> apply(String replica, V value, CausalContext context);
    }

    /**
     * The result of a {@link Mutator}: a value holding only the operation's new dots, and the
     * context of the delta (those dots plus the ones the operation overwrites or removes).
     *
     * @param value   the new dots and what they write (may be empty, for a remove)
     * @param context every dot the operation has seen and decided: kept if in {@code value}, removed otherwise
     * @param <V>     the value type
     */
    record Delta<V extends Embedded<V>>(V value, CausalContext context) {
        public Delta {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(context, "context");
            for (Dot d : value.dots()) {
                if (!context.contains(d)) {
                    throw new IllegalArgumentException("delta holds dot " + d + " outside its own context " + context
                            + ": a mutator must put every dot it writes into the delta's context");
                }
            }
        }
    }
}
