package dev.deepcuts.crdt;

import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A counter that goes up and down, embedded under a key of an {@link OrMap}: its value is the sum
 * of every replica's contribution, and removing its key resets the contributions the remover had
 * seen. Immutable.
 */
public final class EmbeddedCounter implements Embedded<EmbeddedCounter> {

    /*
     * How it works and why.
     *
     * The stand-alone GCounter and PNCounter cannot be embedded: they map each replica to a count and
     * join by maximum, so they hold no dot that a remove could name, and a counter removed and then
     * re-created under the same key would be raised back to its old maximum by the first replica that
     * missed the remove (the problem riak_dt_emcntr's notes describe [3]).
     *
     * So this is the "causal counter" of [2] (CCounter), as a dot store: each replica's contribution is
     * one dot mapped to that replica's running total (a "DotFun" in [1]). An increment by r takes a
     * fresh dot from the map's context, maps it to r's old total plus the amount, and puts r's old dot
     * in the delta's context, so wherever the delta lands the old dot is replaced, never added twice.
     * Joins keep a dot both sides hold, or one side holds and the other has not seen. The state stays
     * small — one dot per replica that has touched the counter since its key was last removed.
     *
     * The price of that bound, taken knowingly (as [2] and [3] take it): if replica r increments
     * concurrently with a remove of the key, r's fresh dot survives (the remover did not see it) and it
     * carries r's whole running total, including the part the remover had seen; the other replicas'
     * contributions that the remover saw are gone. Resetting exactly what the remover saw would need a
     * dot per increment, which grows without bound. A remove that r has seen before incrementing is
     * exact: r's old dot is gone, so its total starts again from zero.
     *
     * References
     *  [1] P. S. Almeida, A. Shoker, C. Baquero, "Delta State Replicated Data Types", J. Parallel and
     *      Distributed Computing 111, 2018, https://arxiv.org/abs/1603.01529 (causal δ-CRDTs, DotFun)
     *  [2] C. Baquero, delta-enabled-crdts, ccounter in delta-crdts.cc,
     *      https://github.com/CBaquero/delta-enabled-crdts
     *  [3] Basho, riak_dt: src/riak_dt_emcntr.erl, https://github.com/basho/riak_dt
     */

    private static final EmbeddedCounter EMPTY = new EmbeddedCounter(new TreeMap<>(CausalContext::compareDots));

    private final Map<Dot, Long> totals; // dot → its replica's running total at that event

    private EmbeddedCounter(Map<Dot, Long> totals) {
        this.totals = totals;
    }

    /** The counter no replica has touched: value 0, no dots. */
    public static EmbeddedCounter empty() {
        return EMPTY;
    }

    /** The sum of every replica's contribution. */
    public long value() {
        long v = 0;
        for (long t : totals.values()) v = Math.addExact(v, t);
        return v;
    }

    /**
     * The operation of adding {@code amount} (negative to subtract): a fresh dot holding the
     * replica's new running total, whose delta context covers the replica's old dots.
     */
    public static Mutator<EmbeddedCounter> add(long amount) {
        return (replica, counter, context) -> {
            long base = 0;
            Set<Dot> overwritten = new HashSet<>();
            for (var e : counter.totals.entrySet()) {
                if (e.getKey().replica().equals(replica)) {              // one in every reachable state
                    base = Math.addExact(base, e.getValue());
                    overwritten.add(e.getKey());
                }
            }
            Dot dot = context.nextDot(replica);
            overwritten.add(dot);
            Map<Dot, Long> t = new TreeMap<>(CausalContext::compareDots);
            t.put(dot, Math.addExact(base, amount));
            return new Delta<>(new EmbeddedCounter(t), CausalContext.ofDots(overwritten));
        };
    }

    @Override
    public EmbeddedCounter join(CausalContext mine, EmbeddedCounter other, CausalContext theirs) {
        return new EmbeddedCounter(DotStore.joinFun(totals, mine, other.totals, theirs));
    }

    @Override
    public Set<Dot> dots() {
        return Collections.unmodifiableSet(totals.keySet());
    }

    @Override
    public boolean isEmpty() {
        return totals.isEmpty();
    }

    /** For the wire-size estimate and tests: each dot's running total. */
    Map<Dot, Long> totals() {
        return Collections.unmodifiableMap(totals);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddedCounter c && totals.equals(c.totals);
    }

    @Override
    public int hashCode() {
        return totals.hashCode();
    }

    @Override
    public String toString() {
        return "Counter(" + value() + ")";
    }
}
