package dev.deepcuts.crdt;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The set of events a replica has seen, kept compactly as a dotted version vector: a vector clock
 * for the contiguous prefix of each replica's events (1..n all seen) plus a "cloud" of dots seen
 * out of order (Almeida, Shoker, Baquero [1]). Delta-based CRDTs ship such contexts with their
 * deltas, so a receiver can tell which additions a removal had seen.
 *
 * <p>Immutable. Invariant: no cloud dot is covered by the compact vector (it would be redundant),
 * and the cloud never holds the dot right after a compact entry (it would have been folded in).
 *
 * <p>[1] P. S. Almeida, A. Shoker, C. Baquero, "Delta State Replicated Data Types", J. Parallel and
 * Distributed Computing 111, 2018, https://arxiv.org/abs/1603.01529
 */
public final class CausalContext {

    private static final CausalContext EMPTY = new CausalContext(new TreeMap<>(), new TreeSet<>(CausalContext::compareDots));

    private final TreeMap<String, Long> compact;
    private final TreeSet<Dot> cloud;

    private CausalContext(TreeMap<String, Long> compact, TreeSet<Dot> cloud) {
        this.compact = compact;
        this.cloud = cloud;
        assert cloud.stream().noneMatch(d -> d.counter() <= compact.getOrDefault(d.replica(), 0L)) : "cloud dot covered by the vector: " + this;
    }

    /** The context that has seen nothing. */
    public static CausalContext empty() {
        return EMPTY;
    }

    /** A context from a compact vector and a cloud of dots (the codec), compacted. */
    static CausalContext of(Map<String, Long> compact, Set<Dot> cloud) {
        var c = new TreeMap<String, Long>();
        compact.forEach((r, n) -> {
            if (n < 0) throw new IllegalArgumentException("counter " + n + " for replica '" + r + "' must not be negative");
            if (n > 0) c.put(r, n);
        });
        var cl = new TreeSet<>(CausalContext::compareDots);
        cl.addAll(cloud);
        return compacted(c, cl);
    }

    /** The context that has seen exactly {@code dots}, compacted. */
    static CausalContext ofDots(java.util.Collection<Dot> dots) {
        if (dots.isEmpty()) return EMPTY;
        var cl = new TreeSet<>(CausalContext::compareDots);
        cl.addAll(dots);
        return compacted(new TreeMap<>(), cl);
    }

    /** Whether the event {@code dot} has been seen. */
    public boolean contains(Dot dot) {
        return dot.counter() <= compact.getOrDefault(dot.replica(), 0L) || cloud.contains(dot);
    }

    /** The next event of {@code replica}: one past the highest of its events seen. */
    public Dot nextDot(String replica) {
        Objects.requireNonNull(replica, "replica");
        long max = compact.getOrDefault(replica, 0L);
        for (Dot d : cloud) if (d.replica().equals(replica)) max = Math.max(max, d.counter());
        return new Dot(replica, max + 1);
    }

    /** This context with {@code dot} seen too. */
    public CausalContext add(Dot dot) {
        if (contains(dot)) return this;
        var c = new TreeMap<>(compact);
        var cl = new TreeSet<>(cloud);
        cl.add(dot);
        return compacted(c, cl);
    }

    // region context-merge
    /** Everything either context has seen, compacted. */
    public CausalContext merge(CausalContext other) {
        var c = new TreeMap<>(compact);
        other.compact.forEach((r, n) -> c.merge(r, n, Math::max));
        var cl = new TreeSet<>(cloud);
        cl.addAll(other.cloud);
        return compacted(c, cl);
    }

    /** Folds into the vector every cloud dot that extends a contiguous prefix; drops covered dots. */
    private static CausalContext compacted(TreeMap<String, Long> c, TreeSet<Dot> cl) {
        boolean changed = true;
        while (changed) {
            changed = false;
            var it = cl.iterator();
            while (it.hasNext()) {
                Dot d = it.next();
                long n = c.getOrDefault(d.replica(), 0L);
                if (d.counter() <= n) {
                    it.remove();                       // already covered
                } else if (d.counter() == n + 1) {
                    c.put(d.replica(), d.counter());   // extends the prefix
                    it.remove();
                    changed = true;
                }
            }
        }
        return new CausalContext(c, cl);
    }
    // endregion context-merge

    /** The contiguous prefix of each replica's events, as a vector clock. */
    public VectorClock vector() {
        return VectorClock.of(compact);
    }

    /** The dots seen beyond the contiguous prefixes. */
    public Set<Dot> cloud() {
        return Collections.unmodifiableSet(cloud);
    }

    /** The compact part, replica to highest contiguous counter. */
    public Map<String, Long> compact() {
        return Collections.unmodifiableMap(compact);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CausalContext c && compact.equals(c.compact) && cloud.equals(c.cloud);
    }

    @Override
    public int hashCode() {
        return compact.hashCode() * 31 + cloud.hashCode();
    }

    @Override
    public String toString() {
        return compact + (cloud.isEmpty() ? "" : "+" + cloud);
    }

    /** The order of dots in contexts and stores: by replica, then counter. */
    static int compareDots(Dot a, Dot b) {
        int c = a.replica().compareTo(b.replica());
        return c != 0 ? c : Long.compare(a.counter(), b.counter());
    }
}
