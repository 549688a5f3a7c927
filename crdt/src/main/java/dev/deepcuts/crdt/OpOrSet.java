package dev.deepcuts.crdt;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An operation-based add-wins set: instead of shipping states, a replica ships operations — "add e,
 * tagged with a fresh dot" and "remove the dots of e that I have observed" — and every replica
 * applies every operation once. It is correct only over {@link CausalBroadcast}: a remove must be
 * applied after the adds it observed (causal order), and no operation may be applied twice
 * (exactly once). The state-based {@link OrSet} needs neither. Mutable; one per replica; not
 * thread-safe.
 *
 * @param <E> the element type
 */
public final class OpOrSet<E> {

    /** An operation, prepared at its origin and applied everywhere (including at its origin). */
    public sealed interface Op<E> permits Add, Remove {
    }

    /** Add {@code element}, tagged with the fresh {@code dot}. */
    public record Add<E>(E element, Dot dot) implements Op<E> {
    }

    /** Remove the {@code observed} dots of {@code element}: exactly the adds the remover had seen. */
    public record Remove<E>(E element, Set<Dot> observed) implements Op<E> {
    }

    private final String replica;
    private final Map<E, Set<Dot>> dots = new HashMap<>();
    private long counter;

    /** An empty set at {@code replica}. */
    public OpOrSet(String replica) {
        this.replica = Objects.requireNonNull(replica, "replica");
    }

    // region op-orset
    /** Prepares adding {@code element}: a dot no other operation has. Broadcast it, then {@link #apply} it. */
    public Add<E> prepareAdd(E element) {
        return new Add<>(Objects.requireNonNull(element, "element"), new Dot(replica, ++counter));
    }

    /** Prepares removing {@code element} as this replica sees it now. */
    public Remove<E> prepareRemove(E element) {
        return new Remove<>(element, Set.copyOf(dots.getOrDefault(element, Set.of())));
    }

    /** Applies an operation; must be called once per operation, in causal order. */
    public void apply(Op<E> op) {
        switch (op) {
            case Add<E> a -> dots.computeIfAbsent(a.element(), e -> new HashSet<>()).add(a.dot());
            case Remove<E> r -> {
                Set<Dot> d = dots.get(r.element());
                if (d != null) {
                    d.removeAll(r.observed());                  // concurrent adds (unobserved dots) survive
                    if (d.isEmpty()) dots.remove(r.element());
                }
            }
        }
    }
    // endregion op-orset

    /** Whether {@code element} is in the set. */
    public boolean contains(E element) {
        return dots.containsKey(element);
    }

    /** The elements. */
    public Set<E> elements() {
        return Collections.unmodifiableSet(dots.keySet());
    }
}
