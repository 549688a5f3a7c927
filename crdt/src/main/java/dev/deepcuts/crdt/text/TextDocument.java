package dev.deepcuts.crdt.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * A replica of a shared text: edit it by position, exchange {@link TextOp}s with other replicas in
 * any order that respects causality (others are held back until they can apply), and every replica
 * that has applied the same edits shows the same text. Concurrent insertions at the same place do
 * not interleave: two people typing "hello" and "world" at one spot get "helloworld" or
 * "worldhello", never "hweolrllod".
 *
 * <p>Positions count UTF-16 units, as {@link String} does (and as Yjs does). Not thread-safe: a
 * replica belongs to one thread, and replicas talk by exchanging operations.
 */
public final class TextDocument implements EditTrace.Editor {

    /*
     * How it works.
     *
     * Every character gets an id (agent, seq) when it is typed and keeps it forever; the document
     * is the sequence of all characters ever inserted, deleted ones kept as tombstones, in an order
     * every replica agrees on. An insertion records its two neighbours at the moment of typing:
     * its left origin and its right origin. A replica receiving the insertion puts the new
     * characters between those two; if other characters were inserted there concurrently, a
     * deterministic rule decides the order among them. The rule used here is the list form of
     * FugueMax [1], which Joseph Gentle arrived at as "YjsMod" in his reference CRDTs [2] and which
     * diamond-types uses: it is YATA, the algorithm of Yjs [3], with one change in the case where
     * the two insertions share a left origin but not a right one, and with that change it never
     * interleaves concurrent runs typed forwards or backwards [1]. Deletion only marks characters;
     * ids stay resolvable, because a concurrent insertion may name a deleted character as its
     * origin.
     *
     * The characters live in a RunTree (a B-tree of runs: see there). Each agent's characters are
     * stored once, in an array indexed by seq, beside an array giving the leaf that holds each one,
     * so an id finds its run in O(1) and its position in O(log n). The operation log keeps every
     * edit, run-length encoded, for sync (opsSince) and for the encoding with full history.
     *
     * [1] Matthew Weidner and Martin Kleppmann, "The Art of the Fugue: Minimizing Interleaving in
     *     Collaborative Text Editing", IEEE TPDS 2025, https://arxiv.org/abs/2305.00583
     * [2] Joseph Gentle, reference-crdts, crdts.ts (integrateYjsMod), https://github.com/josephg/reference-crdts
     * [3] Petru Nicolaescu et al., "Near Real-Time Peer-to-Peer Shared Editing on Extensible Data
     *     Types" (YATA), GROUP 2016, https://doi.org/10.1145/2957276.2957310
     */

    /** The largest agent number. */
    public static final int MAX_AGENT = 65_535;

    private final int self;
    private Agent[] agents = new Agent[4];
    private final RunTree tree;
    private final OpLog log = new OpLog();
    private final List<TextOp> pending = new ArrayList<>();

    /** An empty document, edited locally as {@code agent}, which must be unique among the replicas. */
    public TextDocument(int agent) {
        if (agent < 0 || agent > MAX_AGENT) {
            throw new IllegalArgumentException("agent must be in [0, " + MAX_AGENT + "], got " + agent);
        }
        this.self = agent;
        this.tree = new RunTree(new RunTree.LeafIndex() {
            @Override
            public void place(long id, int length, RunTree.Leaf leaf) {
                agent(TextOp.agentOf(id)).place(TextOp.seqOf(id), length, leaf);
            }

            @Override
            public RunTree.Leaf leafOf(long id) {
                int a = TextOp.agentOf(id);
                return a < agents.length && agents[a] != null ? agents[a].leafOf(TextOp.seqOf(id)) : null;
            }
        });
    }

    /** The agent this replica edits as. */
    public int agent() {
        return self;
    }

    // ------------------------------------------------------------------ local edits

    /**
     * Inserts {@code text} at {@code pos} (0 ≤ pos ≤ length()).
     *
     * @throws IllegalArgumentException if {@code pos} is out of range or {@code text} is empty
     */
    @Override
    public void insert(int pos, String text) {
        if (pos < 0 || pos > tree.visible()) {
            throw new IllegalArgumentException("insert position " + pos + " is outside [0, " + tree.visible() + "]");
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("nothing to insert at " + pos + ": the text is empty");
        }
        // region local-insert
        Agent me = agent(self);
        long id = TextOp.id(self, me.next);
        tree.findVisible(pos);                 // cursor just before the character now at pos
        long left = tree.idBeforeCursor();     // the neighbours the user sees: the origins
        long right = tree.idAtCursor();
        me.append(text);
        tree.insertBeforeCursor(id, text.length(), left, right);
        log.insert(id, text.length(), left, right);
        // endregion local-insert
    }

    /**
     * Deletes {@code length} characters from {@code pos}.
     *
     * @throws IllegalArgumentException if the range is not inside the document
     */
    @Override
    public void delete(int pos, int length) {
        if (pos < 0 || length < 0 || pos + length > tree.visible()) {
            throw new IllegalArgumentException("delete range [" + pos + ", " + (pos + length)
                    + ") is outside [0, " + tree.visible() + "]");
        }
        // region local-delete
        Agent me = agent(self);
        int left = length;
        while (left > 0) {
            tree.findVisible(pos);
            long target = tree.idAtCursor();
            int k = tree.deleteAtCursor(left);
            log.delete(TextOp.id(self, me.next), target, k, false);
            me.skip(k);
            left -= k;
        }
        // endregion local-delete
    }

    // ------------------------------------------------------------------ reading

    /** The visible text. */
    public String text() {
        StringBuilder sb = new StringBuilder(tree.visible());
        for (RunTree.Leaf lf = tree.firstLeaf(); lf != null; lf = lf.next) {
            for (int i = 0; i < lf.n; i++) {
                if (!lf.deleted[i]) {
                    sb.append(agents[TextOp.agentOf(lf.id[i])].chars, TextOp.seqOf(lf.id[i]), lf.len[i]);
                }
            }
        }
        return sb.toString();
    }

    /** How many visible characters. */
    public int length() {
        return tree.visible();
    }

    /** Characters ever inserted, tombstones included. */
    public int totalLength() {
        return tree.total();
    }

    /** Runs in the tree: how well run-length encoding is doing (characters / runs). */
    public int runs() {
        return tree.runs();
    }

    /** Entries in the operation log after run-length encoding. */
    public int logEntries() {
        return log.n;
    }

    /**
     * A handle on position {@code pos} that stays put while others edit: the id of the character
     * just before it ({@link TextOp#NONE} for the start). An editor keeps its cursor this way, not
     * as a number, which a remote insertion earlier in the text would silently shift.
     */
    public long anchorAt(int pos) {
        if (pos < 0 || pos > tree.visible()) {
            throw new IllegalArgumentException("position " + pos + " is outside [0, " + tree.visible() + "]");
        }
        if (pos == 0) {
            return TextOp.NONE;
        }
        tree.findVisible(pos - 1);
        return tree.idAtCursor();
    }

    /**
     * Where an {@link #anchorAt anchor} is now: just after its character, or where that character
     * was if it has been deleted meanwhile.
     *
     * @throws IllegalArgumentException if the anchor names no character of this replica
     */
    public int positionOf(long anchor) {
        if (anchor == TextOp.NONE) {
            return 0;
        }
        if (!tree.isCharacter(anchor)) {
            throw new IllegalArgumentException("anchor " + TextOp.describe(anchor) + " names no character of this replica");
        }
        tree.findId(anchor);
        boolean gone = tree.leaf.deleted[tree.idx];
        return tree.visiblePosition(tree.leaf, tree.idx, tree.off) + (gone ? 0 : 1);
    }

    /** Which edits this replica has applied. */
    public VersionVector version() {
        int[] v = new int[agents.length];
        for (int a = 0; a < agents.length; a++) {
            v[a] = agents[a] == null ? 0 : agents[a].next;
        }
        return new VersionVector(v);
    }

    /** Operations received but not yet applicable, waiting for what they depend on. */
    public int pending() {
        return pending.size();
    }

    @Override
    public String toString() {
        return "TextDocument(agent " + self + ", " + length() + " chars, " + tree.runs() + " runs, version " + version() + ")";
    }

    // ------------------------------------------------------------------ sync

    // region ops-since
    /**
     * Every edit this replica has that {@code since} does not cover, in an order that respects
     * causality, run-length encoded: what another replica at version {@code since} needs.
     */
    public List<TextOp> opsSince(VersionVector since) {
        List<TextOp> out = new ArrayList<>();
        for (int e = 0; e < log.n; e++) {
            int a = TextOp.agentOf(log.id[e]);
            int s = TextOp.seqOf(log.id[e]);
            int len = log.len[e];
            int skip = Math.max(0, Math.min(len, since.get(a) - s));
            if (skip < len) {
                out.add(log.op(e, skip, agents[a]));
            }
        }
        return out;
    }
    // endregion ops-since

    /**
     * Applies remote operations, in any order: duplicates and already-applied parts are ignored,
     * operations whose dependencies have not arrived wait (see {@link #pending()}) and are applied
     * as soon as they can be. Returns how many operations were applied by this call (waiting ones
     * included).
     *
     * @throws IllegalArgumentException for an operation that can never apply: one naming ids that
     *         are deletions rather than characters, or that contradicts what this replica holds
     */
    public int apply(Collection<? extends TextOp> ops) {
        int applied = 0;
        for (TextOp op : ops) {
            applied += applyOrHold(op) ? 1 : 0;
        }
        return applied + drainPending();
    }

    /** {@link #apply(Collection)} for one operation; true if it (or an already-applied copy) took effect now. */
    public boolean apply(TextOp op) {
        boolean done = applyOrHold(op);
        drainPending();
        return done;
    }

    private int drainPending() {
        int applied = 0;
        boolean progress = true;
        while (progress && !pending.isEmpty()) {
            progress = false;
            for (int i = 0; i < pending.size(); i++) {
                TextOp op = pending.get(i);
                if (op.seq() + op.length() <= agentNext(op.agent())) {
                    pending.remove(i--); // a copy arrived meanwhile and was applied
                } else if (ready(op)) {
                    pending.remove(i--);
                    applyReady(op);
                    applied++;
                    progress = true;
                }
            }
        }
        return applied;
    }

    private boolean applyOrHold(TextOp op) {
        int have = agentNext(op.agent());
        if (op.seq() + op.length() <= have) {
            return false; // a duplicate: everything in it is already here
        }
        if (ready(op)) {
            applyReady(op);
            return true;
        }
        pending.add(op);
        return false;
    }

    // region causal-ready
    /** Whether every id {@code op} depends on is here: the agent's earlier edits, and the characters it names. */
    private boolean ready(TextOp op) {
        int have = agentNext(op.agent());
        if (op.seq() > have) {
            return false;
        }
        return switch (op) {
            case TextOp.Insert ins -> known(ins.originLeft()) && known(ins.originRight());
            case TextOp.Delete del -> known(del.lowest()) && known(del.lowest() + del.length() - 1);
        };
    }

    private boolean known(long id) {
        return id == TextOp.NONE || TextOp.seqOf(id) < agentNext(TextOp.agentOf(id));
    }
    // endregion causal-ready

    private int agentNext(int agent) {
        return agent < agents.length && agents[agent] != null ? agents[agent].next : 0;
    }

    /** Applies an operation whose dependencies are all here, skipping any prefix already applied. */
    private void applyReady(TextOp op) {
        int skip = agentNext(op.agent()) - op.seq();
        assert skip >= 0;
        switch (op) {
            case TextOp.Insert ins -> {
                String text = ins.text().substring(skip);
                long id = TextOp.id(ins.agent(), ins.seq() + skip);
                long left = skip == 0 ? ins.originLeft() : id - 1;
                requireCharacter(left, op);
                requireCharacter(ins.originRight(), op);
                agent(ins.agent()).append(text);
                integrate(id, text.length(), left, ins.originRight());
                log.insert(id, text.length(), left, ins.originRight());
            }
            case TextOp.Delete del -> {
                long first = del.backward() ? del.first() - skip : del.first() + skip;
                int len = del.length() - skip;
                long lowest = del.backward() ? first - len + 1 : first;
                for (long t = lowest; t < lowest + len; t++) {
                    requireCharacter(t, op);
                }
                long t = lowest;
                int left = len;
                while (left > 0) {
                    tree.findId(t);
                    int k = tree.deleteAtCursor(left);
                    t += k;
                    left -= k;
                }
                agent(del.agent()).skip(len);
                log.delete(TextOp.id(del.agent(), del.seq() + skip), first, len, del.backward());
            }
        }
    }

    private void requireCharacter(long id, TextOp op) {
        if (id != TextOp.NONE && !tree.isCharacter(id)) {
            throw new IllegalArgumentException("operation " + op + " names " + TextOp.describe(id)
                    + ", which is a deletion, not a character");
        }
    }

    // region integrate
    /**
     * Places a remote run between its origins. Between them may sit characters inserted
     * concurrently; the scan decides, one of them at a time, whether the new run goes before it.
     */
    private void integrate(long id, int length, long originLeft, long originRight) {
        // fast path: the origins are still neighbours here, so there is nothing to decide
        if (originLeft == TextOp.NONE) {
            tree.findTotal(0);
        } else {
            tree.findId(originLeft);
            tree.stepRight();
        }
        if (tree.idAtCursor() == originRight) {
            tree.insertBeforeCursor(id, length, originLeft, originRight);
            return;
        }
        int left = originLeft == TextOp.NONE ? -1 : tree.positionOf(originLeft);
        int right = originRight == TextOp.NONE ? tree.total() : tree.positionOf(originRight);
        int newAgent = TextOp.agentOf(id);
        int dest = left + 1;
        boolean scanning = false;
        int i = left + 1;
        tree.findTotal(i);
        while (true) {
            if (!scanning) {
                dest = i;
            }
            if (i == tree.total() || i == right) {
                break;
            }
            // the character at i and its origins; the rest of its run follows it (origin = i-1 > left)
            RunTree.Leaf lf = tree.leaf;
            int idx = tree.idx;
            int off = tree.off;
            long otherId = lf.id[idx] + off;
            int rest = lf.len[idx] - off;
            long otherRight = lf.right[idx];
            int oleft = off > 0 ? i - 1 : lf.left[idx] == TextOp.NONE ? -1 : tree.positionOf(lf.left[idx]);
            int oright = otherRight == TextOp.NONE ? tree.total() : tree.positionOf(otherRight);
            if (oleft < left) {
                break;                          // it belongs to an outer insertion: stop here
            }
            if (oleft == left) {
                if (oright < right) {
                    scanning = true;            // maybe we go after it; can't tell yet
                } else if (oright == right) {
                    if (newAgent < TextOp.agentOf(otherId)) {
                        break;                  // a true tie: lower agent first
                    }
                    scanning = false;
                } else {
                    scanning = false;
                }
            }
            assert right <= i || right >= i + rest : "right origin inside a run it cannot be inside";
            i += rest;
            tree.findTotal(i);
        }
        tree.findTotal(dest);
        tree.insertBeforeCursor(id, length, originLeft, originRight);
    }
    // endregion integrate

    // ------------------------------------------------------------------ encoding

    /** This document with its full history, compact and checksummed: see {@link TextCodec}. */
    public byte[] encode() {
        return TextCodec.encode(this);
    }

    /**
     * Rebuilds a document from {@link #encode()}'s bytes, to be edited locally as {@code agent}.
     *
     * @throws CorruptDocumentException if the bytes are truncated, corrupt or not a document
     */
    public static TextDocument decode(byte[] bytes, int agent) {
        return TextCodec.decode(bytes, agent);
    }

    /** Calls {@code sink} with every log entry in order: what the codec writes. */
    void forEachLogEntry(LogSink sink) {
        for (int e = 0; e < log.n; e++) {
            sink.entry(log.kind[e], log.id[e], log.len[e], log.a[e], log.b[e]);
        }
    }

    interface LogSink {
        void entry(byte kind, long id, int length, long a, long b);
    }

    /** The characters {@code id .. id+length-1} as inserted. */
    void appendChars(StringBuilder sb, long id, int length) {
        sb.append(agents[TextOp.agentOf(id)].chars, TextOp.seqOf(id), length);
    }

    /** Checks the tree's invariants; for tests. */
    void check() {
        tree.check();
    }

    // ------------------------------------------------------------------ per-agent storage

    private Agent agent(int a) {
        if (a >= agents.length) {
            agents = Arrays.copyOf(agents, Math.max(a + 1, agents.length * 2));
        }
        Agent ag = agents[a];
        if (ag == null) {
            ag = agents[a] = new Agent();
        }
        return ag;
    }

    /** One agent's characters and where each lives, indexed by seq; deletions leave unused slots. */
    private static final class Agent {
        char[] chars = new char[16];
        RunTree.Leaf[] leaves = new RunTree.Leaf[16];
        int next;

        void append(String text) {
            ensure(next + text.length());
            text.getChars(0, text.length(), chars, next);
            next += text.length();
        }

        void skip(int n) {
            ensure(next + n);
            next += n;
        }

        void place(int seq, int length, RunTree.Leaf leaf) {
            ensure(seq + length);
            Arrays.fill(leaves, seq, seq + length, leaf);
        }

        RunTree.Leaf leafOf(int seq) {
            return seq < next ? leaves[seq] : null;
        }

        private void ensure(int size) {
            if (size > chars.length) {
                int cap = Math.max(size, chars.length + (chars.length >> 1));
                chars = Arrays.copyOf(chars, cap);
                leaves = Arrays.copyOf(leaves, cap);
            }
        }
    }

    /** The operation log, run-length encoded: parallel arrays, one entry per run of edits. */
    static final class OpLog {
        static final byte INSERT = 0;
        static final byte DELETE = 1;
        static final byte DELETE_BACKWARD = 2;

        byte[] kind = new byte[16];
        long[] id = new long[16];
        int[] len = new int[16];
        long[] a = new long[16]; // insert: left origin; delete: first character deleted
        long[] b = new long[16]; // insert: right origin
        int n;

        // region oplog-rle
        void insert(long opId, int length, long left, long right) {
            int e = n - 1;
            if (e >= 0 && kind[e] == INSERT && id[e] + len[e] == opId && left == opId - 1 && b[e] == right) {
                len[e] += length;
                return;
            }
            add(INSERT, opId, length, left, right);
        }
        // endregion oplog-rle

        void delete(long opId, long first, int length, boolean backward) {
            int e = n - 1;
            if (e >= 0 && kind[e] != INSERT && id[e] + len[e] == opId) {
                boolean fwd = kind[e] == DELETE;
                if (!backward && (fwd || len[e] == 1) && first == a[e] + len[e]) {
                    kind[e] = DELETE;
                    len[e] += length;
                    return;
                }
                boolean back = kind[e] == DELETE_BACKWARD;
                long next = back || len[e] == 1 ? a[e] - len[e] : Long.MIN_VALUE;
                if ((backward || length == 1) && (back || len[e] == 1) && first == next) {
                    kind[e] = DELETE_BACKWARD;
                    len[e] += length;
                    return;
                }
            }
            add(backward && length > 1 ? DELETE_BACKWARD : DELETE, opId, length, first, TextOp.NONE);
        }

        private void add(byte k, long opId, int length, long x, long y) {
            if (n == id.length) {
                int cap = n + (n >> 1);
                kind = Arrays.copyOf(kind, cap);
                id = Arrays.copyOf(id, cap);
                len = Arrays.copyOf(len, cap);
                a = Arrays.copyOf(a, cap);
                b = Arrays.copyOf(b, cap);
            }
            kind[n] = k;
            id[n] = opId;
            len[n] = length;
            a[n] = x;
            b[n] = y;
            n++;
        }

        /** Entry {@code e} as an operation, without its first {@code skip} sequence numbers. */
        TextOp op(int e, int skip, Agent ag) {
            int agent = TextOp.agentOf(id[e]);
            int seq = TextOp.seqOf(id[e]) + skip;
            int length = len[e] - skip;
            return switch (kind[e]) {
                case INSERT -> new TextOp.Insert(agent, seq, skip == 0 ? a[e] : id[e] + skip - 1, b[e],
                        new String(ag.chars, seq, length));
                case DELETE -> new TextOp.Delete(agent, seq, a[e] + skip, length, false);
                default -> new TextOp.Delete(agent, seq, a[e] - skip, length, true);
            };
        }
    }
}
