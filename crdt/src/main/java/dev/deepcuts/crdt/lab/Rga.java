package dev.deepcuts.crdt.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * The Replicated Growable Array of Roh et al. [1], in its simplest list form: each character
 * remembers only the character it was typed after (its origin) and a Lamport timestamp, and among
 * characters typed after the same origin the newest goes first. It converges, and it is the foil
 * of the interleave lab: typed backwards, concurrent words come out shuffled together.
 *
 * <p>[1] Hyun-Gul Roh, Myeongjae Jeon, Jin-Soo Kim, Joonwon Lee, "Replicated abstract data types:
 * Building blocks for collaborative applications", JPDC 71(3), 2011,
 * https://doi.org/10.1016/j.jpdc.2010.12.006
 */
final class Rga {

    /** An insertion: character {@code ch} with id {@code (ts, agent)}, typed after {@code origin} (null: the start). */
    record Op(long ts, int agent, Op origin, char ch) {
        boolean newerThan(Op o) {
            return ts != o.ts ? ts > o.ts : agent > o.agent;
        }
    }

    private final int agent;
    private long clock;
    private final List<Op> items = new ArrayList<>();
    private final List<Op> log = new ArrayList<>();

    Rga(int agent) {
        this.agent = agent;
    }

    /** Types {@code ch} at visible position {@code pos}; returns the operation to send. */
    Op insert(int pos, char ch) {
        Op op = new Op(++clock, agent, pos == 0 ? null : items.get(pos - 1), ch);
        apply(op);
        return op;
    }

    List<Op> log() {
        return log;
    }

    // region rga-integrate
    /** Applies an insertion whose origin is already here: right after the origin, skipping newer siblings. */
    void apply(Op op) {
        if (log.contains(op)) {
            return;
        }
        clock = Math.max(clock, op.ts());
        int i = op.origin() == null ? 0 : items.indexOf(op.origin()) + 1;
        while (i < items.size() && items.get(i).newerThan(op)) {
            i++;   // a newer insertion after the same origin, or one of its descendants (newer still)
        }
        items.add(i, op);
        log.add(op);
    }
    // endregion rga-integrate

    String text() {
        StringBuilder sb = new StringBuilder();
        for (Op op : items) {
            sb.append(op.ch());
        }
        return sb.toString();
    }
}
