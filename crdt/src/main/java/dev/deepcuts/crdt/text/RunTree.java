package dev.deepcuts.crdt.text;

import java.util.Arrays;

/**
 * The document's characters in document order, tombstones included, as a B-tree of runs: the
 * structure that turns "the character at visible position 41,273" and "where is character
 * (agent 3, seq 9,000)" into O(log n) walks instead of scans.
 *
 * <p>Not thread-safe; owned by one {@link TextDocument}.
 */
final class RunTree {

    /*
     * How it works.
     *
     * A run is a stretch of characters that one agent typed in one go: consecutive sequence numbers
     * (so one id and a length stand for all of them), each character's left origin the one before
     * it, all sharing one right origin, all deleted or all visible. Typing a paragraph makes one
     * run, not a thousand items; that run-length encoding is most of why modern sequence CRDTs fit
     * in memory [1][2]. Runs are split when someone inserts into the middle of one or deletes part
     * of one, and merged back when a delete makes neighbours alike again.
     *
     * Leaves hold up to LEAF_CAP runs as parallel arrays (ids, lengths, origins, deleted flags: no
     * object per run) and are chained left to right. Inner nodes hold up to INNER_CAP children and,
     * for each child, how many visible characters and how many characters in all (tombstones
     * included) lie under it. Descending by the visible counts finds a visible position (local
     * edits); descending by the totals finds a position in the full sequence (what the merge rule
     * compares); walking up from a leaf and adding the totals of left siblings turns a leaf slot
     * back into a position. Every walk is one root-to-leaf path: O(log n) with a fan-out of 32,
     * so three or four levels for a book-length document.
     *
     * Where a character lives is kept outside the tree, by the document, which gets a callback
     * (LeafIndex.place) whenever runs move to another leaf. Nodes are never merged or freed:
     * runs never disappear (deletes leave tombstones), so a leaf never empties.
     *
     * Invariants (asserted in check()): every leaf but an empty root holds at least one run;
     * each inner node's counts equal the sums beneath it; leaves chain in document order.
     *
     * [1] Kevin Jahns, "Are CRDTs suitable for shared editing?", 2020, https://blog.kevinjahns.de/are-crdts-suitable-for-shared-editing/
     * [2] Joseph Gentle, "5000x faster CRDTs: An Adventure in Optimization", 2021, https://josephg.com/blog/crdts-go-brrr/
     */

    static final int LEAF_CAP = 32;
    static final int INNER_CAP = 32;

    /** No character: the start of the document as a left origin, its end as a right origin. */
    static final long NONE = -1L;

    /** Told when runs land in a leaf, so that characters can be found by id. */
    interface LeafIndex {
        void place(long id, int length, Leaf leaf);

        Leaf leafOf(long id);
    }

    abstract static sealed class Node permits Leaf, Inner {
        Inner parent;
    }

    // region run-leaf
    static final class Leaf extends Node {
        // one slot more than the capacity: a run is inserted first and the leaf split after
        final long[] id = new long[LEAF_CAP + 1];
        final int[] len = new int[LEAF_CAP + 1];
        final long[] left = new long[LEAF_CAP + 1];
        final long[] right = new long[LEAF_CAP + 1];
        final boolean[] deleted = new boolean[LEAF_CAP + 1];
        int n;
        Leaf prev;
        Leaf next;
    }
    // endregion run-leaf

    static final class Inner extends Node {
        final Node[] kids = new Node[INNER_CAP + 1];
        final int[] vis = new int[INNER_CAP + 1];
        final int[] tot = new int[INNER_CAP + 1];
        int n;
    }

    private final LeafIndex index;
    private Node root;
    private final Leaf first;
    private int visible;
    private int total;
    private int runs;

    // the cursor set by the find methods: a run slot and an offset inside the run
    Leaf leaf;
    int idx;
    int off;

    // where insertRun put its run
    private Leaf slotLeaf;
    private int slotIdx;

    RunTree(LeafIndex index) {
        this.index = index;
        this.first = new Leaf();
        this.root = first;
    }

    int visible() {
        return visible;
    }

    int total() {
        return total;
    }

    int runs() {
        return runs;
    }

    Leaf firstLeaf() {
        return first;
    }

    // ------------------------------------------------------------------ finding

    /**
     * Puts the cursor just before visible character {@code pos}, after any tombstones before it;
     * {@code pos == visible()} puts it at the very end, after every tombstone.
     */
    void findVisible(int pos) {
        assert pos >= 0 && pos <= visible : pos + " outside [0, " + visible + "]";
        // region find-visible
        Node node = root;
        int p = pos;
        while (node instanceof Inner in) {
            int i = 0;
            for (; i < in.n - 1; i++) {
                if (p < in.vis[i]) {
                    break;
                }
                p -= in.vis[i];
            }
            node = in.kids[i];
        }
        Leaf lf = (Leaf) node;
        int i = 0;
        for (; i < lf.n; i++) {
            if (!lf.deleted[i]) {
                if (p < lf.len[i]) {
                    break;
                }
                p -= lf.len[i];
            }
        }
        assert i < lf.n || p == 0;
        leaf = lf;
        idx = i;
        off = i < lf.n ? p : 0;
        // endregion find-visible
    }

    /** Puts the cursor before the character at position {@code pos} of the full sequence (tombstones counted). */
    void findTotal(int pos) {
        assert pos >= 0 && pos <= total : pos + " outside [0, " + total + "]";
        Node node = root;
        int p = pos;
        while (node instanceof Inner in) {
            int i = 0;
            for (; i < in.n - 1; i++) {
                if (p < in.tot[i]) {
                    break;
                }
                p -= in.tot[i];
            }
            node = in.kids[i];
        }
        Leaf lf = (Leaf) node;
        int i = 0;
        for (; i < lf.n; i++) {
            if (p < lf.len[i]) {
                break;
            }
            p -= lf.len[i];
        }
        leaf = lf;
        idx = i;
        off = i < lf.n ? p : 0;
    }

    /** Puts the cursor on the character {@code id}, which must be in the tree. */
    void findId(long id) {
        Leaf lf = index.leafOf(id);
        assert lf != null : "unknown character " + TextOp.describe(id);
        for (int i = 0; i < lf.n; i++) {
            long d = id - lf.id[i]; // ids pack (agent, seq): a different agent is 2^32 away
            if (d >= 0 && d < lf.len[i]) {
                leaf = lf;
                idx = i;
                off = (int) d;
                return;
            }
        }
        throw new AssertionError("character " + TextOp.describe(id) + " is not in the leaf its index names");
    }

    /** The position of character {@code id} in the full sequence (tombstones counted). */
    int positionOf(long id) {
        findId(id);
        return position(leaf, idx, off);
    }

    /** The position of slot {@code (lf, i)} plus {@code offset} in the full sequence. */
    int position(Leaf lf, int i, int offset) {
        int pos = offset;
        for (int k = 0; k < i; k++) {
            pos += lf.len[k];
        }
        Node child = lf;
        for (Inner p = lf.parent; p != null; child = p, p = p.parent) {
            int ci = indexOf(p, child);
            for (int k = 0; k < ci; k++) {
                pos += p.tot[k];
            }
        }
        return pos;
    }

    /** Visible characters before slot {@code (lf, i)} plus {@code offset} (counted only if that run is visible). */
    int visiblePosition(Leaf lf, int i, int offset) {
        int pos = i < lf.n && !lf.deleted[i] ? offset : 0;
        for (int k = 0; k < i; k++) {
            if (!lf.deleted[k]) {
                pos += lf.len[k];
            }
        }
        Node child = lf;
        for (Inner p = lf.parent; p != null; child = p, p = p.parent) {
            int ci = indexOf(p, child);
            for (int k = 0; k < ci; k++) {
                pos += p.vis[k];
            }
        }
        return pos;
    }

    /** The id of the character just before the cursor, or {@link #NONE} at the start. */
    long idBeforeCursor() {
        if (off > 0) {
            return leaf.id[idx] + off - 1;
        }
        if (idx > 0) {
            return leaf.id[idx - 1] + leaf.len[idx - 1] - 1;
        }
        Leaf p = leaf.prev;
        return p == null ? NONE : p.id[p.n - 1] + p.len[p.n - 1] - 1;
    }

    /** Whether {@code id} names a character in the tree (rather than a deletion, or nothing yet). */
    boolean isCharacter(long id) {
        return index.leafOf(id) != null;
    }

    /** Moves the cursor one character to the right (it must not be at the end). */
    void stepRight() {
        off++;
        if (off == leaf.len[idx]) {
            idx++;
            off = 0;
        }
    }

    /** The id of the character at the cursor, or {@link #NONE} at the end. */
    long idAtCursor() {
        if (idx < leaf.n) {
            return leaf.id[idx] + off;
        }
        Leaf nx = leaf.next;
        return nx == null ? NONE : nx.id[0];
    }

    // ------------------------------------------------------------------ changing

    /**
     * Inserts a visible run before the cursor: characters {@code id .. id+length-1}, the first with
     * left origin {@code left}, all with right origin {@code right}. Extends the run before the
     * cursor instead when the new characters continue it (the typing case).
     */
    void insertBeforeCursor(long id, int length, long left, long right) {
        Leaf lf = leaf;
        int i = idx;
        if (off > 0) {
            splitRun(lf, i, off);
            lf = slotLeaf;
            i = slotIdx;
        }
        // typing extends the run just before the cursor, which may end the previous leaf
        Leaf before = i > 0 ? lf : lf.prev;
        int b = i > 0 ? i - 1 : before == null ? -1 : before.n - 1;
        if (b >= 0 && continues(before, b, id, left, right, false)) {
            before.len[b] += length;
            index.place(id, length, before);
            adjust(before, length, length);
            return;
        }
        insertRun(lf, i, id, length, left, right, false, true);
        index.place(id, length, slotLeaf);
    }

    /**
     * Marks up to {@code count} characters from the cursor deleted, within the cursor's run; returns
     * how many it covered (the rest of the run at most). Characters already deleted stay so.
     */
    int deleteAtCursor(int count) {
        Leaf lf = leaf;
        int i = idx;
        int k = Math.min(count, lf.len[i] - off);
        if (lf.deleted[i]) {
            return k;
        }
        if (off > 0) {
            splitRun(lf, i, off);
            lf = slotLeaf;
            i = slotIdx;
        }
        if (k < lf.len[i]) {
            splitRun(lf, i, k);
            // the piece to delete is the one before the slot, which a leaf split may have left behind
            if (slotIdx > 0) {
                lf = slotLeaf;
                i = slotIdx - 1;
            } else {
                lf = slotLeaf.prev;
                i = lf.n - 1;
            }
        }
        lf.deleted[i] = true;
        adjust(lf, -k, 0);
        // a deleted piece next to a deleted piece of the same run becomes one run again
        if (i + 1 < lf.n && continues(lf, i, lf.id[i + 1], lf.left[i + 1], lf.right[i + 1], lf.deleted[i + 1])) {
            mergeWithNext(lf, i);
        }
        if (i > 0 && continues(lf, i - 1, lf.id[i], lf.left[i], lf.right[i], lf.deleted[i])) {
            mergeWithNext(lf, i - 1);
        }
        return k;
    }

    // region run-continues
    /** Whether characters {@code id..} with these origins and state continue run {@code i} of {@code lf}. */
    private static boolean continues(Leaf lf, int i, long id, long left, long right, boolean deleted) {
        long end = lf.id[i] + lf.len[i];
        return id == end && left == end - 1 && right == lf.right[i] && deleted == lf.deleted[i];
    }
    // endregion run-continues

    private void mergeWithNext(Leaf lf, int i) {
        lf.len[i] += lf.len[i + 1];
        removeSlot(lf, i + 1);
        runs--;
    }

    /** Cuts run {@code i} of {@code lf} in two at {@code at}; the slot fields then point at the second piece. */
    private void splitRun(Leaf lf, int i, int at) {
        assert at > 0 && at < lf.len[i];
        long tailId = lf.id[i] + at;
        int tailLen = lf.len[i] - at;
        lf.len[i] = at;
        // the tail's characters stay in this leaf unless the split of the leaf moves them, and then
        // the split re-places them, so no index update here
        insertRun(lf, i + 1, tailId, tailLen, tailId - 1, lf.right[i], lf.deleted[i], false);
    }

    /**
     * Inserts one run into slot {@code i} of {@code lf}, splitting the leaf if full; sets the slot
     * fields. {@code fresh} says the characters are new to the tree (not a piece cut from a run).
     */
    private void insertRun(Leaf lf, int i, long id, int length, long left, long right, boolean deleted, boolean fresh) {
        int n = lf.n;
        System.arraycopy(lf.id, i, lf.id, i + 1, n - i);
        System.arraycopy(lf.len, i, lf.len, i + 1, n - i);
        System.arraycopy(lf.left, i, lf.left, i + 1, n - i);
        System.arraycopy(lf.right, i, lf.right, i + 1, n - i);
        System.arraycopy(lf.deleted, i, lf.deleted, i + 1, n - i);
        lf.id[i] = id;
        lf.len[i] = length;
        lf.left[i] = left;
        lf.right[i] = right;
        lf.deleted[i] = deleted;
        lf.n = n + 1;
        runs++;
        if (fresh) {
            adjust(lf, deleted ? 0 : length, length);
        }
        slotLeaf = lf;
        slotIdx = i;
        if (lf.n > LEAF_CAP) {
            Leaf r = splitLeaf(lf);
            if (i >= lf.n) {
                slotLeaf = r;
                slotIdx = i - lf.n;
            }
        }
    }

    private static void removeSlot(Leaf lf, int i) {
        int n = lf.n;
        System.arraycopy(lf.id, i + 1, lf.id, i, n - i - 1);
        System.arraycopy(lf.len, i + 1, lf.len, i, n - i - 1);
        System.arraycopy(lf.left, i + 1, lf.left, i, n - i - 1);
        System.arraycopy(lf.right, i + 1, lf.right, i, n - i - 1);
        System.arraycopy(lf.deleted, i + 1, lf.deleted, i, n - i - 1);
        lf.n = n - 1;
    }

    /** Moves the upper half of a full leaf into a new leaf to its right; returns the new leaf. */
    private Leaf splitLeaf(Leaf lf) {
        int keep = lf.n / 2;
        int moved = lf.n - keep;
        Leaf r = new Leaf();
        System.arraycopy(lf.id, keep, r.id, 0, moved);
        System.arraycopy(lf.len, keep, r.len, 0, moved);
        System.arraycopy(lf.left, keep, r.left, 0, moved);
        System.arraycopy(lf.right, keep, r.right, 0, moved);
        System.arraycopy(lf.deleted, keep, r.deleted, 0, moved);
        r.n = moved;
        lf.n = keep;
        r.next = lf.next;
        if (r.next != null) {
            r.next.prev = r;
        }
        r.prev = lf;
        lf.next = r;
        int v = 0;
        int t = 0;
        for (int k = 0; k < moved; k++) {
            index.place(r.id[k], r.len[k], r);
            t += r.len[k];
            if (!r.deleted[k]) {
                v += r.len[k];
            }
        }
        addSibling(lf, r, v, t);
        return r;
    }

    /**
     * Puts {@code b} right after {@code a} under a's parent, moving {@code v} visible and {@code t}
     * total characters from a's count to b's; splits the parent when it overflows, up to a new root.
     */
    private void addSibling(Node a, Node b, int v, int t) {
        Inner p = a.parent;
        if (p == null) {
            Inner r = new Inner();
            r.kids[0] = a;
            r.vis[0] = visible - v;
            r.tot[0] = total - t;
            r.kids[1] = b;
            r.vis[1] = v;
            r.tot[1] = t;
            r.n = 2;
            a.parent = r;
            b.parent = r;
            root = r;
            return;
        }
        int ci = indexOf(p, a);
        int n = p.n;
        System.arraycopy(p.kids, ci + 1, p.kids, ci + 2, n - ci - 1);
        System.arraycopy(p.vis, ci + 1, p.vis, ci + 2, n - ci - 1);
        System.arraycopy(p.tot, ci + 1, p.tot, ci + 2, n - ci - 1);
        p.vis[ci] -= v;
        p.tot[ci] -= t;
        p.kids[ci + 1] = b;
        p.vis[ci + 1] = v;
        p.tot[ci + 1] = t;
        p.n = n + 1;
        b.parent = p;
        if (p.n > INNER_CAP) {
            int keep = p.n / 2;
            int moved = p.n - keep;
            Inner q = new Inner();
            System.arraycopy(p.kids, keep, q.kids, 0, moved);
            System.arraycopy(p.vis, keep, q.vis, 0, moved);
            System.arraycopy(p.tot, keep, q.tot, 0, moved);
            Arrays.fill(p.kids, keep, p.n, null);
            q.n = moved;
            p.n = keep;
            int qv = 0;
            int qt = 0;
            for (int k = 0; k < moved; k++) {
                q.kids[k].parent = q;
                qv += q.vis[k];
                qt += q.tot[k];
            }
            addSibling(p, q, qv, qt);
        }
    }

    /** Adds {@code dv} visible and {@code dt} total characters to every count above {@code node}. */
    private void adjust(Node node, int dv, int dt) {
        if (dv == 0 && dt == 0) {
            return;
        }
        Node child = node;
        for (Inner p = node.parent; p != null; child = p, p = p.parent) {
            int ci = indexOf(p, child);
            p.vis[ci] += dv;
            p.tot[ci] += dt;
        }
        visible += dv;
        total += dt;
    }

    private static int indexOf(Inner p, Node child) {
        Node[] kids = p.kids;
        for (int i = 0; i < p.n; i++) {
            if (kids[i] == child) {
                return i;
            }
        }
        throw new AssertionError("a node is missing from its parent");
    }

    // ------------------------------------------------------------------ checking

    /** Checks every invariant; for tests (it walks the whole tree). */
    void check() {
        int[] sums = check(root);
        if (sums[0] != visible || sums[1] != total) {
            throw new AssertionError("root counts " + visible + "/" + total + " but the runs sum to " + sums[0] + "/" + sums[1]);
        }
        int counted = 0;
        Leaf prev = null;
        for (Leaf lf = first; lf != null; prev = lf, lf = lf.next) {
            if (lf.prev != prev) {
                throw new AssertionError("leaf chain broken");
            }
            if (lf.n == 0 && !(lf == root)) {
                throw new AssertionError("empty leaf");
            }
            for (int i = 0; i < lf.n; i++) {
                if (lf.len[i] <= 0) {
                    throw new AssertionError("run of length " + lf.len[i]);
                }
                for (int k = 0; k < lf.len[i]; k++) {
                    if (index.leafOf(lf.id[i] + k) != lf) {
                        throw new AssertionError("index misplaces " + TextOp.describe(lf.id[i] + k));
                    }
                }
            }
            counted += lf.n;
        }
        if (counted != runs) {
            throw new AssertionError("runs counted " + counted + " but recorded " + runs);
        }
    }

    private static int[] check(Node node) {
        if (node instanceof Leaf lf) {
            int v = 0;
            int t = 0;
            for (int i = 0; i < lf.n; i++) {
                t += lf.len[i];
                if (!lf.deleted[i]) {
                    v += lf.len[i];
                }
            }
            return new int[] {v, t};
        }
        Inner in = (Inner) node;
        int v = 0;
        int t = 0;
        for (int i = 0; i < in.n; i++) {
            if (in.kids[i].parent != in) {
                throw new AssertionError("bad parent pointer");
            }
            int[] s = check(in.kids[i]);
            if (s[0] != in.vis[i] || s[1] != in.tot[i]) {
                throw new AssertionError("inner count " + in.vis[i] + "/" + in.tot[i] + " but child sums " + s[0] + "/" + s[1]);
            }
            v += s[0];
            t += s[1];
        }
        return new int[] {v, t};
    }
}
