package dev.deepcuts.crdt.text;

/**
 * An edit of a {@link TextDocument} as it travels between replicas: an insertion of a run of
 * characters, or a deletion of a run of characters, named by ids rather than positions so that it
 * means the same thing at every replica whatever else happened there meanwhile.
 *
 * <p>Every character, and every deletion of one, has an id: the agent (replica) that made it and a
 * sequence number counting that agent's edits, one per character inserted or deleted. An id is
 * packed into a {@code long} as {@code agent << 32 | seq} ({@link #id}); {@link #NONE} stands for
 * "no character": the start of the document as a left origin, its end as a right origin.
 */
public sealed interface TextOp {

    /** No character. */
    long NONE = -1L;

    /** The agent that made the edit. */
    int agent();

    /** The sequence number of the edit's first character (inserted or deleted). */
    int seq();

    /** How many characters the edit inserts or deletes; it uses that many sequence numbers. */
    int length();

    /**
     * Characters {@code seq .. seq+length-1} of {@code agent}, inserted between the characters
     * {@code originLeft} and {@code originRight}, which were neighbours where and when they were
     * typed. Inside the run each character's left origin is the one before it.
     */
    record Insert(int agent, int seq, long originLeft, long originRight, String text) implements TextOp {
        public Insert {
            checkId(agent, seq);
            if (text.isEmpty()) {
                throw new IllegalArgumentException("an insertion needs at least one character");
            }
        }

        @Override
        public int length() {
            return text.length();
        }
    }

    /**
     * A deletion, using sequence numbers {@code seq .. seq+length-1} of {@code agent}, of the
     * characters {@code first, first+1, ...} ({@code backward == false}) or {@code first, first-1,
     * ...} ({@code backward == true}, as a run of backspaces makes).
     */
    record Delete(int agent, int seq, long first, int length, boolean backward) implements TextOp {
        public Delete {
            checkId(agent, seq);
            if (length <= 0) {
                throw new IllegalArgumentException("a deletion needs a positive length, got " + length);
            }
            if (first < 0) {
                throw new IllegalArgumentException("a deletion needs a character to start from, got " + first);
            }
        }

        /** The lowest id this deletion covers; it covers {@code length} consecutive ids from there. */
        public long lowest() {
            return backward ? first - length + 1 : first;
        }
    }

    // region text-id
    /** Packs an id. */
    static long id(int agent, int seq) {
        checkId(agent, seq);
        return ((long) agent << 32) | seq;
    }

    /** The agent of a packed id. */
    static int agentOf(long id) {
        return (int) (id >>> 32);
    }

    /** The sequence number of a packed id. */
    static int seqOf(long id) {
        return (int) id;
    }
    // endregion text-id

    /** A packed id as {@code agent:seq}, or "none". */
    static String describe(long id) {
        return id == NONE ? "none" : agentOf(id) + ":" + seqOf(id);
    }

    private static void checkId(int agent, int seq) {
        if (agent < 0 || agent > TextDocument.MAX_AGENT) {
            throw new IllegalArgumentException("agent must be in [0, " + TextDocument.MAX_AGENT + "], got " + agent);
        }
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be non-negative, got " + seq);
        }
    }
}
