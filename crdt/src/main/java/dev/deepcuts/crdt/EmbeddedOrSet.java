package dev.deepcuts.crdt;

import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * An add-wins observed-remove set embedded under a key of an {@link OrMap}: the same semantics as
 * {@link OrSet} — an add concurrent with a remove of the same element survives — with the set's
 * own causal context replaced by the map's. Immutable.
 *
 * <p>Its state is exactly {@link OrSet}'s dot store, element → the dots that added it, joined by
 * the same {@link DotStore#join}; an {@code OrSet} cannot be embedded as it is because it carries a
 * context of its own, which would duplicate the map's and could disagree with it.
 *
 * @param <E> the element type (with equals and hashCode; Comparable for a stable print order)
 */
public final class EmbeddedOrSet<E> implements Embedded<EmbeddedOrSet<E>> {

    private static final EmbeddedOrSet<?> EMPTY = new EmbeddedOrSet<>(new TreeMap<>(DotStore::compareKeys));

    private final Map<E, Set<Dot>> store; // no element with an empty dot set

    private EmbeddedOrSet(Map<E, Set<Dot>> store) {
        this.store = store;
    }

    /** The empty set. */
    @SuppressWarnings("unchecked")
    public static <E> EmbeddedOrSet<E> empty() {
        return (EmbeddedOrSet<E>) EMPTY;
    }

    /** Whether {@code element} is in the set. */
    public boolean contains(E element) {
        return store.containsKey(element);
    }

    /** The elements. */
    public Set<E> elements() {
        return Collections.unmodifiableSet(store.keySet());
    }

    /** The operation of adding {@code element}: a fresh dot, superseding the element's observed dots. */
    public static <E> Mutator<EmbeddedOrSet<E>> add(E element) {
        Objects.requireNonNull(element, "element");
        return (replica, set, context) -> {
            Dot dot = context.nextDot(replica);
            Set<Dot> seen = new HashSet<>(set.store.getOrDefault(element, Set.of()));
            seen.add(dot);
            Map<E, Set<Dot>> s = new TreeMap<>(DotStore::compareKeys);
            s.put(element, Set.of(dot));
            return new Delta<>(new EmbeddedOrSet<>(s), CausalContext.ofDots(seen));
        };
    }

    /** The operation of removing {@code element}: no dots, and a context holding the dots observed for it. */
    public static <E> Mutator<EmbeddedOrSet<E>> remove(E element) {
        Objects.requireNonNull(element, "element");
        return (replica, set, context) -> new Delta<>(empty(), CausalContext.ofDots(set.store.getOrDefault(element, Set.of())));
    }

    @Override
    public EmbeddedOrSet<E> join(CausalContext mine, EmbeddedOrSet<E> other, CausalContext theirs) {
        return new EmbeddedOrSet<>(DotStore.join(store, mine, other.store, theirs));
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

    /** For the wire-size estimate and tests: the dots of each element. */
    Map<E, Set<Dot>> store() {
        return Collections.unmodifiableMap(store);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddedOrSet<?> s && store.equals(s.store);
    }

    @Override
    public int hashCode() {
        return store.hashCode();
    }

    @Override
    public String toString() {
        return "Set" + store.keySet();
    }
}
