package dev.deepcuts.bench.crdt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import dev.deepcuts.crdt.text.EditTrace;

/**
 * A trace's edits, or the first {@code n} of them, as flat arrays, ready to be replayed into any
 * {@link EditTrace.Editor}: the timed loop of every JVM contender, so ours and the
 * {@link StringBuilder} pay for the same iteration and differ only in what they do with each edit.
 *
 * <p>An edit is one call to the editor: a deletion or an insertion. In automerge-paper every patch
 * is exactly one of them, so its first {@code n} edits are its first {@code n} patches, the same
 * prefix the npm peers replay; {@link #of} refuses a prefix of a trace where that does not hold.
 */
final class Edits {

    private final String name;
    private final int patches;
    private final int[] positions;
    private final int[] deleted;   // > 0 for a deletion, 0 for an insertion
    private final String[] inserted; // null for a deletion
    private final String expected;

    private Edits(String name, int patches, int[] positions, int[] deleted, String[] inserted, String expected) {
        this.name = name;
        this.patches = patches;
        this.positions = positions;
        this.deleted = deleted;
        this.inserted = inserted;
        this.expected = expected;
    }

    /**
     * The edits of {@code trace}, all of them if {@code prefix} is 0, else its first
     * {@code prefix} patches (which must be one edit each, see the class comment).
     */
    static Edits of(EditTrace trace, int prefix) {
        if (prefix < 0) {
            throw new IllegalArgumentException("prefix must be >= 0 (0: the whole trace), got " + prefix);
        }
        var recorder = new Recorder(trace.patches());
        trace.replay(recorder);
        int n = recorder.n;
        int patches = trace.patches();
        if (prefix > 0 && prefix < trace.patches()) {
            if (n != trace.patches()) {
                throw new IllegalArgumentException("a prefix of " + trace.name() + " cannot be taken in patches: its "
                        + trace.patches() + " patches make " + n + " edits (some patch both deletes and inserts)");
            }
            n = prefix;
            patches = prefix;
        }
        var edits = new Edits(trace.name(), patches, Arrays.copyOf(recorder.positions, n), Arrays.copyOf(recorder.deleted, n),
                Arrays.copyOf(recorder.inserted, n), null);
        String end = n == recorder.n ? trace.endContent() : edits.replayIntoStringBuilder();
        return new Edits(edits.name, patches, edits.positions, edits.deleted, edits.inserted, end);
    }

    /** Plays every edit, in order, into {@code editor}. */
    void replay(EditTrace.Editor editor) {
        final int[] positions = this.positions;
        final int[] deleted = this.deleted;
        final String[] inserted = this.inserted;
        for (int i = 0; i < positions.length; i++) {
            if (deleted[i] > 0) {
                editor.delete(positions[i], deleted[i]);
            } else {
                editor.insert(positions[i], inserted[i]);
            }
        }
    }

    /** The trace's name. */
    String name() {
        return name;
    }

    /** How many of the trace's patches these edits are. */
    int patches() {
        return patches;
    }

    /** How many edits (calls to an editor): a patch that deletes and inserts is two. */
    int size() {
        return positions.length;
    }

    /** The text the edits produce: the trace's endContent, or a plain replay of the prefix. */
    String expected() {
        return expected;
    }

    /** SHA-256 of the expected text's UTF-8 bytes, in hex: what the npm peers report for the same edits. */
    String expectedSha256() {
        return sha256(expected);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    private String replayIntoStringBuilder() {
        var editor = new StringBuilderEditor();
        replay(editor);
        return editor.text();
    }

    /** The plain baseline: a {@link StringBuilder}, every edit an array copy of the text after it. */
    static final class StringBuilderEditor implements EditTrace.Editor {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void insert(int pos, String s) {
            text.insert(pos, s);
        }

        @Override
        public void delete(int pos, int length) {
            text.delete(pos, pos + length);
        }

        StringBuilder builder() {
            return text;
        }

        String text() {
            return text.toString();
        }
    }

    private static final class Recorder implements EditTrace.Editor {
        int[] positions;
        int[] deleted;
        String[] inserted;
        int n;

        Recorder(int capacity) {
            positions = new int[Math.max(16, capacity)];
            deleted = new int[positions.length];
            inserted = new String[positions.length];
        }

        @Override
        public void insert(int pos, String text) {
            add(pos, 0, text);
        }

        @Override
        public void delete(int pos, int length) {
            if (length <= 0) {
                throw new IllegalArgumentException("a deletion of " + length + " characters at " + pos);
            }
            add(pos, length, null);
        }

        private void add(int pos, int del, String ins) {
            if (n == positions.length) {
                positions = Arrays.copyOf(positions, n * 2);
                deleted = Arrays.copyOf(deleted, n * 2);
                inserted = Arrays.copyOf(inserted, n * 2);
            }
            positions[n] = pos;
            deleted[n] = del;
            inserted[n] = ins;
            n++;
        }
    }
}
