package dev.deepcuts.crdt;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The join of "dot stores" shared by the multi-value register and the add-wins set (Almeida,
 * Shoker, Baquero, "Delta State Replicated Data Types", 2018): each side is a map from an element
 * to the dots (events) that added it, plus the causal context of everything that side has seen. A
 * dot survives the join if both sides have it, or if one side has it and the other has never seen
 * it; a dot that one side has seen but no longer holds was removed there, and stays removed.
 * {@link #joinFun} is the same rule for the paper's other shape, a map from each dot to a value
 * (the causal counter of an {@link OrMap}).
 */
final class DotStore {

    private DotStore() {
    }

    // region dot-join
    /** Joins two element→dots maps given each side's causal context. */
    static <K> Map<K, Set<Dot>> join(Map<K, Set<Dot>> s1, CausalContext c1, Map<K, Set<Dot>> s2, CausalContext c2) {
        Map<K, Set<Dot>> out = new TreeMap<>(DotStore::compareKeys);
        Set<K> keys = new HashSet<>(s1.keySet());
        keys.addAll(s2.keySet());
        for (K k : keys) {
            Set<Dot> d1 = s1.getOrDefault(k, Set.of());
            Set<Dot> d2 = s2.getOrDefault(k, Set.of());
            Set<Dot> kept = new HashSet<>();
            for (Dot d : d1) if (d2.contains(d) || !c2.contains(d)) kept.add(d);   // in both, or unseen by side 2
            for (Dot d : d2) if (d1.contains(d) || !c1.contains(d)) kept.add(d);   // in both, or unseen by side 1
            if (!kept.isEmpty()) out.put(k, Set.copyOf(kept));
        }
        return out;
    }
    // endregion dot-join

    /**
     * Joins two dot→value maps ("DotFun" in the paper) given each side's causal context, by the same
     * survival rule as {@link #join}. A dot names one event, so both sides hold the same value for it.
     */
    static <T> Map<Dot, T> joinFun(Map<Dot, T> f1, CausalContext c1, Map<Dot, T> f2, CausalContext c2) {
        Map<Dot, T> out = new TreeMap<>(CausalContext::compareDots);
        f1.forEach((d, v) -> {
            T other = f2.get(d);
            assert other == null || other.equals(v) : "dot " + d + " holds two values: " + v + " and " + other;
            if (other != null || !c2.contains(d)) out.put(d, v);    // in both, or unseen by side 2
        });
        f2.forEach((d, v) -> {
            if (!f1.containsKey(d) && !c1.contains(d)) out.put(d, v); // unseen by side 1
        });
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareKeys(Object a, Object b) {
        if (a instanceof Comparable ca && a.getClass() == b.getClass()) return ca.compareTo(b);
        return a.toString().compareTo(b.toString());
    }
}
