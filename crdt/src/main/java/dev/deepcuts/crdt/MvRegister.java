package dev.deepcuts.crdt;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A multi-value register: a write replaces every value it has observed, and concurrent writes are
 * all kept, so a reader sees the conflict and can resolve it (Amazon's Dynamo shopping cart is the
 * famous use [1]). Same dot-store machinery as {@link OrSet}: each write gets a fresh dot and its
 * delta's context covers the dots it overwrote. Immutable.
 *
 * <p>[1] G. DeCandia et al., "Dynamo: Amazon's Highly Available Key-value Store", SOSP 2007,
 * https://doi.org/10.1145/1294261.1294281
 *
 * @param <V> the value type
 */
public final class MvRegister<V> {

    private final Map<V, Set<Dot>> store;
    private final CausalContext context;

    private MvRegister(Map<V, Set<Dot>> store, CausalContext context) {
        this.store = store;
        this.context = context;
    }

    /** The register before any write. */
    public static <V> MvRegister<V> empty() {
        return new MvRegister<>(new TreeMap<>(DotStore::compareKeys), CausalContext.empty());
    }

    /** The current values: one after a write that saw all others, several after concurrent writes. */
    public Set<V> values() {
        return Collections.unmodifiableSet(store.keySet());
    }

    // region mv-assign
    /** The delta of {@code replica} writing {@code value}: it supersedes every value observed. */
    public MvRegister<V> assign(String replica, V value) {
        Objects.requireNonNull(value, "value");
        Dot dot = context.nextDot(replica);
        CausalContext c = CausalContext.empty().add(dot);
        for (Set<Dot> dots : store.values()) for (Dot d : dots) c = c.add(d);
        Map<V, Set<Dot>> s = new TreeMap<>(DotStore::compareKeys);
        s.put(value, Set.of(dot));
        return new MvRegister<>(s, c);
    }
    // endregion mv-assign

    /** The join: dot-store join, union of contexts. */
    public MvRegister<V> join(MvRegister<V> other) {
        return new MvRegister<>(DotStore.join(store, context, other.store, other.context), context.merge(other.context));
    }

    /** For the wire-size estimate and tests: the dots of each value. */
    Map<V, Set<Dot>> store() {
        return Collections.unmodifiableMap(store);
    }

    /** For the wire-size estimate and tests: everything this replica has seen. */
    CausalContext context() {
        return context;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MvRegister<?> r && store.equals(r.store) && context.equals(r.context);
    }

    @Override
    public int hashCode() {
        return store.hashCode() * 31 + context.hashCode();
    }

    @Override
    public String toString() {
        return "MvRegister" + store.keySet();
    }
}
