package dev.deepcuts.crdt;

import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * An observed-remove map whose values are themselves CRDTs — counters, add-wins sets,
 * multi-value registers, or maps of any of these, to any depth. Updating a key runs the value's
 * own operation; removing a key removes exactly the updates the remover had seen, so an update
 * concurrent with the remove survives, with only what the remover did not see. Replicas that
 * exchange states or deltas in any order, late or twice, end up equal. Immutable.
 *
 * @param <K> the key type (with equals and hashCode; Comparable for a stable print order)
 * @param <V> the value type: one of the {@link Embedded} CRDTs
 */
public final class OrMap<K, V extends Embedded<V>> {

    /*
     * How it works and why.
     *
     * The map is one causal δ-CRDT in the sense of Almeida et al. [1] (the ORMap of their section on
     * causal CRDTs): a dot store — key → embedded value, each value itself a dot store (see Embedded)
     * — and ONE causal context for the whole map, shared by every key at every depth. Sharing the
     * context is what makes it work:
     *
     *  - dots are unique map-wide: every update of every key takes the next dot of its replica from
     *    the same context, so a dot names one event of one key;
     *  - an update of key k runs the value's own delta mutator on the key's current value with the
     *    shared context, as [1] defines it: apply(o, k, (m, c)) = ({k ↦ v'}, c') where
     *    (v', c') = o(m(k), c). The delta holds only k's fresh dots and the dots they overwrite;
     *  - a remove of key k is no more than the context of the dots under k, with no entries: wherever
     *    it lands, those dots — and only those — disappear. No tombstone is kept; the context alone
     *    remembers that they were seen;
     *  - the join of two maps joins each key's values by their own dot-store join under the two
     *    maps' contexts, and drops a key whose value has no dot left.
     *
     * Hence the semantics of a remove concurrent with an update: the update's fresh dot is not in the
     * remover's context, so it survives; the dots the remover saw are gone on both sides. For a set
     * under the key, the elements added concurrently remain and the others are removed; for a nested
     * map, the fields updated concurrently remain. A key removed and then updated again starts from
     * an empty value: the old dots stay removed.
     *
     * Embedding. The stand-alone types cannot be nested as they are. GCounter and PNCounter join by
     * maximum and hold no dot a remove could name; OrSet and MvRegister are dot-based but each carries
     * its own context, which would duplicate the map's and could disagree with it. So the embeddable
     * values are their own small types behind the sealed interface Embedded: EmbeddedOrSet and
     * EmbeddedMvRegister are the dot stores of OrSet and MvRegister without their contexts,
     * EmbeddedCounter is the causal counter of [2] (one dot per replica, holding its running total:
     * see its notes for the one semantic corner this bounded design cuts), and EmbeddedOrMap is this
     * map's own dot store, for nesting. Operations are Embedded.Mutators, values that compose:
     * EmbeddedOrMap.update("city", EmbeddedMvRegister.assign("Paris")) is an operation on a nested map.
     * Riak's map [3] nests CRDTs under typed fields; its embedded counter, riak_dt_emcntr, takes the
     * parent map's clock and keeps one dotted total per actor — the same choices.
     *
     * Invariants, asserted: every dot held under any key is in the context; no key maps to an empty
     * value (an empty value is the absent key).
     *
     * References
     *  [1] P. S. Almeida, A. Shoker, C. Baquero, "Delta State Replicated Data Types", J. Parallel and
     *      Distributed Computing 111, 2018, https://arxiv.org/abs/1603.01529 (dot stores, ORMap)
     *  [2] C. Baquero, delta-enabled-crdts, ormap and ccounter in delta-crdts.cc,
     *      https://github.com/CBaquero/delta-enabled-crdts
     *  [3] Basho, riak_dt: src/riak_dt_map.erl and src/riak_dt_emcntr.erl, a map of embedded CRDTs
     *      in production, https://github.com/basho/riak_dt
     */

    private final Map<K, V> entries;     // key → its value; never an empty value
    private final CausalContext context; // every event this replica has seen, for every key
    private final V bottom;              // the empty value, what an absent key reads as

    private OrMap(Map<K, V> entries, CausalContext context, V bottom) {
        this.entries = entries;
        this.context = context;
        this.bottom = bottom;
        assert entries.values().stream().noneMatch(Embedded::isEmpty) : "a key maps to an empty value: " + this;
        assert entries.values().stream().allMatch(v -> v.dots().stream().allMatch(context::contains))
                : "a dot outside the context " + context + ": " + this;
    }

    /**
     * The empty map of values of one embedded type.
     *
     * @param bottom the empty value of that type ({@code EmbeddedCounter.empty()}, ...), which an absent key reads as
     * @throws IllegalArgumentException if {@code bottom} holds dots
     */
    public static <K, V extends Embedded<V>> OrMap<K, V> empty(V bottom) {
        requireEmpty(bottom);
        return new OrMap<>(newEntries(), CausalContext.empty(), bottom);
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

    /** Everything this replica has seen, for every key. */
    public CausalContext context() {
        return context;
    }

    // region ormap-update
    /**
     * The delta of {@code replica} running {@code op} on the value under {@code key} (an empty value
     * if the key is absent): the key's fresh dots only, and the context of the dots they overwrite.
     *
     * @throws IllegalArgumentException if {@code replica} is empty, or {@code op} writes a fresh dot of another replica
     */
    public OrMap<K, V> update(String replica, K key, Embedded.Mutator<V> op) {
        requireReplica(replica);
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(op, "op");
        Embedded.Delta<V> d = Objects.requireNonNull(op.apply(replica, get(key), context), "the mutator returned no delta");
        for (Dot dot : d.value().dots()) {
            if (!context.contains(dot) && !dot.replica().equals(replica)) {
                throw new IllegalArgumentException("the operation on key " + key + " by replica '" + replica + "' wrote dot " + dot
                        + " of another replica: fresh dots must come from context.nextDot(replica)");
            }
        }
        return new OrMap<>(entry(key, d.value()), d.context(), bottom);
    }

    /** A map holding {@code key → value}, or nothing if the value is empty. */
    static <K, V extends Embedded<V>> Map<K, V> entry(K key, V value) {
        Map<K, V> m = newEntries();
        if (!value.isEmpty()) m.put(key, value);
        return m;
    }
    // endregion ormap-update

    // region ormap-remove
    /**
     * The delta of removing {@code key}: no entries, and a context holding the dots observed under
     * it. Wherever it lands those dots, and only those, are gone; an update the remover had not seen survives.
     */
    public OrMap<K, V> remove(K key) {
        Objects.requireNonNull(key, "key");
        return new OrMap<>(newEntries(), CausalContext.ofDots(get(key).dots()), bottom);
    }

    /** The delta of removing every key: the context of every dot observed, and no entries. */
    public OrMap<K, V> clear() {
        Set<Dot> all = new HashSet<>();
        for (V v : entries.values()) all.addAll(v.dots());
        return new OrMap<>(newEntries(), CausalContext.ofDots(all), bottom);
    }
    // endregion ormap-remove

    // region ormap-join
    /** The join: each key's values joined under the two contexts, keys left without dots dropped; the union of the contexts. */
    public OrMap<K, V> join(OrMap<K, V> other) {
        return new OrMap<>(joinEntries(entries, context, other.entries, other.context, bottom), context.merge(other.context), bottom);
    }

    /** The dot-map join of [1]: for every key of either side, the values' own join; an absent key is the empty value. */
    static <K, V extends Embedded<V>> Map<K, V> joinEntries(Map<K, V> m1, CausalContext c1, Map<K, V> m2, CausalContext c2, V bottom) {
        Map<K, V> out = newEntries();
        Set<K> keys = new HashSet<>(m1.keySet());
        keys.addAll(m2.keySet());
        for (K k : keys) {
            V v = m1.getOrDefault(k, bottom).join(c1, m2.getOrDefault(k, bottom), c2);
            if (!v.isEmpty()) out.put(k, v);     // every dot under k was removed: so is k
        }
        return out;
    }
    // endregion ormap-join

    static <K, V> Map<K, V> newEntries() {
        return new TreeMap<>(DotStore::compareKeys);
    }

    static void requireEmpty(Embedded<?> bottom) {
        Objects.requireNonNull(bottom, "bottom");
        if (!bottom.isEmpty()) {
            throw new IllegalArgumentException("the empty value of a map must hold no dots, but " + bottom + " holds "
                    + bottom.dots() + ": pass the type's empty(), what an absent key reads as");
        }
    }

    private static void requireReplica(String replica) {
        Objects.requireNonNull(replica, "replica");
        if (replica.isEmpty()) throw new IllegalArgumentException("replica '' must be a non-empty name: it names the dots of its updates");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrMap<?, ?> m && entries.equals(m.entries) && context.equals(m.context) && bottom.equals(m.bottom);
    }

    @Override
    public int hashCode() {
        return entries.hashCode() * 31 + context.hashCode();
    }

    @Override
    public String toString() {
        return "OrMap" + entries + " seen " + context;
    }
}
