package dev.deepcuts.crdt;

import java.util.Collections;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A grow-only set: add, never remove; join is union. The simplest CRDT, and the building block of
 * {@link TwoPhaseSet}. Immutable.
 *
 * @param <E> the element type
 */
public final class GSet<E> {

    private final Set<E> elements;

    private GSet(Set<E> elements) {
        this.elements = elements;
    }

    public static <E> GSet<E> empty() {
        return new GSet<>(Set.of());
    }

    public boolean contains(E e) {
        return elements.contains(e);
    }

    public Set<E> elements() {
        return Collections.unmodifiableSet(elements);
    }

    /** The delta of adding {@code e}. */
    public GSet<E> add(E e) {
        return new GSet<>(Set.of(Objects.requireNonNull(e, "element")));
    }

    public GSet<E> join(GSet<E> other) {
        var u = new HashSet<>(elements);
        u.addAll(other.elements);
        return new GSet<>(Set.copyOf(u));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GSet<?> g && elements.equals(g.elements);
    }

    @Override
    public int hashCode() {
        return elements.hashCode();
    }

    @Override
    public String toString() {
        return "GSet" + elements;
    }
}
