package dev.deepcuts.crdt.text;

import java.util.Arrays;

/**
 * How much of each agent's edits a replica has applied: for agent {@code a}, {@code get(a)} is the
 * number of sequence numbers seen, so ids {@code a:0 .. a:get(a)-1} are known. Immutable.
 */
public final class VersionVector {

    private static final VersionVector EMPTY = new VersionVector(new int[0]);

    private final int[] next;

    VersionVector(int[] next) {
        this.next = next;
    }

    /** The version of a replica that has seen nothing. */
    public static VersionVector empty() {
        return EMPTY;
    }

    /** How many of {@code agent}'s sequence numbers are covered. */
    public int get(int agent) {
        return agent < next.length ? next[agent] : 0;
    }

    /** Whether this version covers everything {@code other} does. */
    public boolean covers(VersionVector other) {
        for (int a = 0; a < other.next.length; a++) {
            if (other.next[a] > get(a)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the character or deletion {@code id} is covered. */
    public boolean covers(long id) {
        return TextOp.seqOf(id) < get(TextOp.agentOf(id));
    }

    /** The least version covering both. */
    public VersionVector merge(VersionVector other) {
        int[] m = Arrays.copyOf(next, Math.max(next.length, other.next.length));
        for (int a = 0; a < other.next.length; a++) {
            m[a] = Math.max(m[a], other.next[a]);
        }
        return new VersionVector(m);
    }

    /** The greatest version both cover: what two replicas have in common. */
    public VersionVector meet(VersionVector other) {
        int[] m = new int[Math.min(next.length, other.next.length)];
        for (int a = 0; a < m.length; a++) {
            m[a] = Math.min(next[a], other.next[a]);
        }
        return new VersionVector(m);
    }

    /** Total sequence numbers covered, over all agents. */
    public long size() {
        long s = 0;
        for (int n : next) {
            s += n;
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof VersionVector v)) {
            return false;
        }
        int n = Math.max(next.length, v.next.length);
        for (int a = 0; a < n; a++) {
            if (get(a) != v.get(a)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        int last = next.length;
        while (last > 0 && next[last - 1] == 0) {
            last--;
        }
        for (int a = 0; a < last; a++) {
            h = 31 * h + next[a];
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int a = 0; a < next.length; a++) {
            if (next[a] > 0) {
                sb.append(sb.length() > 1 ? ", " : "").append(a).append(':').append(next[a]);
            }
        }
        return sb.append('}').toString();
    }
}
