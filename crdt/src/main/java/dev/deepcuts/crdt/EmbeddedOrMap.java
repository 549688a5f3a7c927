package dev.deepcuts.crdt;

import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An observed-remove map nested under a key of an {@link OrMap}: the same semantics — updates
 * run the value's own operation, a remove takes away exactly the updates it saw — with the map's
 * context being the enclosing map's. Its values may be maps again, to any depth. Immutable.
 *
 * <p>Its state is the dot store of an {@link OrMap} (key → embedded value) and its join is the
 * same {@link OrMap#joinEntries}; only the top-level map owns a context.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class EmbeddedOrMap<K, V extends Embedded<V>> implements Embedded<EmbeddedOrMap<K, V>> {

    private final Map<K, V> entries; // never an empty value
    private final V bottom;

    private EmbeddedOrMap(Map<K, V> entries, V bottom) {
        this.entries = entries;
        this.bottom = bottom;
        assert entries.values().stream().noneMatch(Embedded::isEmpty) : "a key maps to an empty value: " + entries;
    }

    /**
     * The empty nested map of values of one embedded type.
     *
     * @param bottom the empty value of that type, which an absent key reads as
     * @throws IllegalArgumentException if {@code bottom} holds dots
     */
    public static <K, V extends Embedded<V>> EmbeddedOrMap<K, V> empty(V bottom) {
        OrMap.requireEmpty(bottom);
        return new EmbeddedOrMap<>(OrMap.newEntries(), bottom);
    }

    /** Whether {@code key} is in the map. */
    public boolean containsKey(K key) {
        return entries.containsKey(key);
    }

    /** The value under {@code key}, or the empty value when the key is absent. */
    public V get(K key) {
        V v = entries.get(key);
        return v == null ? bottom : v;
    }

    /** The keys. */
    public Set<K> keys() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /** The keys and their values. */
    public Map<K, V> entries() {
        return Collections.unmodifiableMap(entries);
    }

    /** The operation of running {@code op} on the value under {@code key}: that key's delta only. */
    public static <K, V extends Embedded<V>> Mutator<EmbeddedOrMap<K, V>> update(K key, Mutator<V> op) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(op, "op");
        return (replica, map, context) -> {
            Delta<V> d = Objects.requireNonNull(op.apply(replica, map.get(key), context), "the mutator returned no delta");
            return new Delta<>(new EmbeddedOrMap<>(OrMap.entry(key, d.value()), map.bottom), d.context());
        };
    }

    /** The operation of removing {@code key}: no entries, and the context of the dots observed under it. */
    public static <K, V extends Embedded<V>> Mutator<EmbeddedOrMap<K, V>> remove(K key) {
        Objects.requireNonNull(key, "key");
        return (replica, map, context) -> new Delta<>(new EmbeddedOrMap<>(OrMap.newEntries(), map.bottom), CausalContext.ofDots(map.get(key).dots()));
    }

    @Override
    public EmbeddedOrMap<K, V> join(CausalContext mine, EmbeddedOrMap<K, V> other, CausalContext theirs) {
        return new EmbeddedOrMap<>(OrMap.joinEntries(entries, mine, other.entries, theirs, bottom), bottom);
    }

    @Override
    public Set<Dot> dots() {
        Set<Dot> all = new HashSet<>();
        for (V v : entries.values()) all.addAll(v.dots());
        return all;
    }

    @Override
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddedOrMap<?, ?> m && entries.equals(m.entries) && bottom.equals(m.bottom);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "Map" + entries;
    }
}
