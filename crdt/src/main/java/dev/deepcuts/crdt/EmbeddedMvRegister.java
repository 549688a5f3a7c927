package dev.deepcuts.crdt;

import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A multi-value register embedded under a key of an {@link OrMap}: the same semantics as
 * {@link MvRegister} — a write replaces every value it observed, concurrent writes are all kept —
 * with the register's own causal context replaced by the map's. Immutable.
 *
 * <p>Its state is exactly {@link MvRegister}'s dot store, value → the dots that wrote it, joined by
 * {@link DotStore#join}.
 *
 * @param <T> the value type (with equals and hashCode; Comparable for a stable print order)
 */
public final class EmbeddedMvRegister<T> implements Embedded<EmbeddedMvRegister<T>> {

    private static final EmbeddedMvRegister<?> EMPTY = new EmbeddedMvRegister<>(new TreeMap<>(DotStore::compareKeys));

    private final Map<T, Set<Dot>> store; // no value with an empty dot set

    private EmbeddedMvRegister(Map<T, Set<Dot>> store) {
        this.store = store;
    }

    /** The register before any write. */
    @SuppressWarnings("unchecked")
    public static <T> EmbeddedMvRegister<T> empty() {
        return (EmbeddedMvRegister<T>) EMPTY;
    }

    /** The current values: one after a write that saw all others, several after concurrent writes. */
    public Set<T> values() {
        return Collections.unmodifiableSet(store.keySet());
    }

    /** The operation of writing {@code value}: a fresh dot, superseding every value observed. */
    public static <T> Mutator<EmbeddedMvRegister<T>> assign(T value) {
        Objects.requireNonNull(value, "value");
        return (replica, register, context) -> {
            Dot dot = context.nextDot(replica);
            Set<Dot> seen = new HashSet<>(register.dots());
            seen.add(dot);
            Map<T, Set<Dot>> s = new TreeMap<>(DotStore::compareKeys);
            s.put(value, Set.of(dot));
            return new Delta<>(new EmbeddedMvRegister<>(s), CausalContext.ofDots(seen));
        };
    }

    @Override
    public EmbeddedMvRegister<T> join(CausalContext mine, EmbeddedMvRegister<T> other, CausalContext theirs) {
        return new EmbeddedMvRegister<>(DotStore.join(store, mine, other.store, theirs));
    }

    @Override
    public Set<Dot> dots() {
        Set<Dot> all = new HashSet<>();
        for (Set<Dot> ds : store.values()) all.addAll(ds);
        return all;
    }

    @Override
    public boolean isEmpty() {
        return store.isEmpty();
    }

    /** For the wire-size estimate and tests: the dots of each value. */
    Map<T, Set<Dot>> store() {
        return Collections.unmodifiableMap(store);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddedMvRegister<?> r && store.equals(r.store);
    }

    @Override
    public int hashCode() {
        return store.hashCode();
    }

    @Override
    public String toString() {
        return "Register" + store.keySet();
    }
}
