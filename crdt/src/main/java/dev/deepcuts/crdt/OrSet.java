package dev.deepcuts.crdt;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * An add-wins observed-remove set without tombstones: every add is tagged with a fresh
 * {@link Dot}; a remove deletes the dots of the element it has <em>observed</em>, so an add
 * concurrent with a remove (one whose dot the remover had not seen) survives. Removed elements
 * leave no tombstone in the store: the causal context alone remembers that their dots were seen
 * (Bieniusa et al. [1], in the delta-state form of Almeida et al. [2]). Immutable.
 *
 * <p>[1] A. Bieniusa, M. Zawirski, N. Preguiça, M. Shapiro, C. Baquero, V. Balegas, S. Duarte,
 * "An Optimized Conflict-free Replicated Set", 2012, https://arxiv.org/abs/1210.3368
 * <br>[2] P. S. Almeida, A. Shoker, C. Baquero, "Delta State Replicated Data Types", 2018,
 * https://arxiv.org/abs/1603.01529
 *
 * @param <E> the element type (with equals and hashCode; Comparable for a stable print order)
 */
public final class OrSet<E> {

    private final Map<E, Set<Dot>> store;
    private final CausalContext context;

    private OrSet(Map<E, Set<Dot>> store, CausalContext context) {
        this.store = store;
        this.context = context;
    }

    /** A set from its parts (the codec); every dot must lie in the context. */
    static <E> OrSet<E> of(java.util.List<Map.Entry<E, Set<Dot>>> entries, CausalContext context) {
        Map<E, Set<Dot>> store = new TreeMap<>(DotStore::compareKeys);
        for (var e : entries) {
            if (store.put(e.getKey(), e.getValue()) != null) throw new IllegalArgumentException("element " + e.getKey() + " appears twice");
        }
        return new OrSet<>(store, context);
    }

    /** The empty set. */
    public static <E> OrSet<E> empty() {
        return new OrSet<>(new TreeMap<>(DotStore::compareKeys), CausalContext.empty());
    }

    /** Whether {@code element} is in the set. */
    public boolean contains(E element) {
        return store.containsKey(element);
    }

    /** The elements. */
    public Set<E> elements() {
        return Collections.unmodifiableSet(store.keySet());
    }

    /** Everything this replica has seen. */
    public CausalContext context() {
        return context;
    }

    // region orset
    /** The delta of {@code replica} adding {@code element}: a fresh dot, superseding the element's observed dots. */
    public OrSet<E> add(String replica, E element) {
        Objects.requireNonNull(element, "element");
        Dot dot = context.nextDot(replica);
        Map<E, Set<Dot>> s = new TreeMap<>(DotStore::compareKeys);
        s.put(element, Set.of(dot));
        CausalContext c = CausalContext.empty().add(dot);
        for (Dot old : store.getOrDefault(element, Set.of())) c = c.add(old);
        return new OrSet<>(s, c);
    }

    /** The delta of removing {@code element}: no dots, but a context holding the dots observed for it. */
    public OrSet<E> remove(E element) {
        CausalContext c = CausalContext.empty();
        for (Dot old : store.getOrDefault(element, Set.of())) c = c.add(old);
        return new OrSet<>(new TreeMap<>(DotStore::compareKeys), c);
    }

    /** The join: dot-store join of the elements, union of the contexts. */
    public OrSet<E> join(OrSet<E> other) {
        return new OrSet<>(DotStore.join(store, context, other.store, other.context), context.merge(other.context));
    }
    // endregion orset

    @Override
    public boolean equals(Object o) {
        return o instanceof OrSet<?> s && store.equals(s.store) && context.equals(s.context);
    }

    @Override
    public int hashCode() {
        return store.hashCode() * 31 + context.hashCode();
    }

    @Override
    public String toString() {
        return "OrSet" + store.keySet() + " seen " + context;
    }

    /** For tests: the dots of each element. */
    Map<E, Set<Dot>> store() {
        return Collections.unmodifiableMap(new TreeMap<>(store));
    }
}
