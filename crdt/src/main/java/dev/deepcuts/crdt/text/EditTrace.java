package dev.deepcuts.crdt.text;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * A recorded editing session, in the format of Joseph Gentle's
 * <a href="https://github.com/josephg/editing-traces">editing-traces</a>: a list of transactions,
 * each a list of patches {@code [pos, deleted, inserted]} applied in file order with
 * {@code Array.prototype.splice} semantics, and the text they must produce.
 *
 * <p>Positions in the file count Unicode code points; this loader accepts only traces without
 * code points above U+FFFF (both traces shipped with the project qualify), so that a position is
 * also a Java {@code char} index, and rejects any other with a message saying so.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class EditTrace {

    /** Receives a trace's edits in order. */
    public interface Editor {
        /** Inserts {@code text} so that it starts at {@code pos}. */
        void insert(int pos, String text);

        /** Deletes {@code length} characters starting at {@code pos}. */
        void delete(int pos, int length);
    }

    private final String name;
    private final String endContent;
    private final int[] txnStarts; // index of each transaction's first patch, plus one sentinel
    private final int[] positions;
    private final int[] deletes;
    private final String[] inserts;

    private EditTrace(String name, String endContent, int[] txnStarts, int[] positions, int[] deletes, String[] inserts) {
        this.name = name;
        this.endContent = endContent;
        this.txnStarts = txnStarts;
        this.positions = positions;
        this.deletes = deletes;
        this.inserts = inserts;
    }

    /**
     * Loads a trace from a {@code .json} or gzipped {@code .json.gz} file, checking its shape as it
     * streams (the automerge-paper trace is 16 MB of JSON) and then replaying it into a plain
     * {@link StringBuilder}, so that a trace whose patches do not fit its own text, or do not
     * produce its {@code endContent}, is refused here rather than blamed on a CRDT later.
     *
     * @throws TraceFormatException if the file is not a well-formed trace; the message is one line
     *         naming the file and what is wrong
     * @throws IOException if it cannot be read
     */
    public static EditTrace load(Path file) throws IOException {
        String fileName = file.getFileName().toString();
        String name = fileName.replaceFirst("\\.gz$", "").replaceFirst("\\.json$", "");
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            try (InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
                EditTrace trace = parse(name, fileName, in);
                trace.verify(fileName);
                return trace;
            }
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such trace file");
        } catch (java.util.zip.ZipException e) {
            throw new TraceFormatException(fileName + ": not a readable gzip file (" + e.getMessage() + ")");
        } catch (JsonParseException e) {
            throw new TraceFormatException(fileName + ": not valid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + " (" + e.getOriginalMessage() + ")");
        }
    }

    /** The trace's name: its file name without {@code .json} or {@code .json.gz}. */
    public String name() {
        return name;
    }

    /** The text the trace must produce. */
    public String endContent() {
        return endContent;
    }

    /** How many transactions (user actions) the trace holds. */
    public int transactions() {
        return txnStarts.length - 1;
    }

    /** How many patches, over all transactions. */
    public int patches() {
        return positions.length;
    }

    /** Characters inserted over the whole trace. */
    public long insertedChars() {
        long n = 0;
        for (String s : inserts) {
            n += s.length();
        }
        return n;
    }

    /** Characters deleted over the whole trace. */
    public long deletedChars() {
        long n = 0;
        for (int d : deletes) {
            n += d;
        }
        return n;
    }

    /**
     * Plays every patch, in file order, into {@code editor}: first the deletion (if any), then the
     * insertion (if any), each at the patch's position.
     */
    public void replay(Editor editor) {
        replay(editor, patches());
    }

    /** Plays the first {@code count} patches into {@code editor}. */
    public void replay(Editor editor, int count) {
        if (count < 0 || count > patches()) {
            throw new IllegalArgumentException("count must be in [0, " + patches() + "], got " + count);
        }
        for (int i = 0; i < count; i++) {
            if (deletes[i] > 0) {
                editor.delete(positions[i], deletes[i]);
            }
            if (!inserts[i].isEmpty()) {
                editor.insert(positions[i], inserts[i]);
            }
        }
    }

    /** The index of the first patch of transaction {@code txn}; {@code transactions()} gives the end. */
    public int transactionStart(int txn) {
        return txnStarts[txn];
    }

    /** Patch {@code i}'s position. */
    public int position(int i) {
        return positions[i];
    }

    /** How many characters patch {@code i} deletes. */
    public int deleted(int i) {
        return deletes[i];
    }

    /** The text patch {@code i} inserts (possibly empty). */
    public String inserted(int i) {
        return inserts[i];
    }

    @Override
    public String toString() {
        return name + " (" + transactions() + " transactions, " + patches() + " patches, "
                + endContent.length() + " chars at the end)";
    }

    // ---------------------------------------------------------------- parsing

    private static EditTrace parse(String name, String fileName, InputStream in) throws IOException {
        JsonParser p = new JsonFactory().createParser(in);
        expect(p, p.nextToken(), JsonToken.START_OBJECT, fileName, "the file to be a JSON object");
        String start = null;
        String end = null;
        Builder b = new Builder();
        boolean sawTxns = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "startContent" -> {
                    expect(p, value, JsonToken.VALUE_STRING, fileName, "startContent to be a string");
                    start = p.getText();
                }
                case "endContent" -> {
                    expect(p, value, JsonToken.VALUE_STRING, fileName, "endContent to be a string");
                    end = p.getText();
                }
                case "txns" -> {
                    expect(p, value, JsonToken.START_ARRAY, fileName, "txns to be an array");
                    parseTxns(p, fileName, b);
                    sawTxns = true;
                }
                default -> p.skipChildren();
            }
        }
        if (start == null || end == null || !sawTxns) {
            throw new TraceFormatException(fileName + ": missing "
                    + (start == null ? "startContent" : end == null ? "endContent" : "txns")
                    + " (expected an object with startContent, endContent and txns)");
        }
        if (!start.isEmpty()) {
            throw new TraceFormatException(fileName + ": startContent is " + start.length()
                    + " characters long; only traces that start from an empty document are supported");
        }
        checkBmp(fileName, "endContent", end);
        return b.build(name, end);
    }

    private static void parseTxns(JsonParser p, String fileName, Builder b) throws IOException {
        int txn = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            expect(p, t, JsonToken.START_OBJECT, fileName, "transaction " + txn + " to be an object");
            b.startTxn();
            boolean sawPatches = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("patches")) {
                    expect(p, value, JsonToken.START_ARRAY, fileName, "transaction " + txn + "'s patches to be an array");
                    int patch = 0;
                    for (JsonToken q = p.nextToken(); q != JsonToken.END_ARRAY; q = p.nextToken()) {
                        String where = "transaction " + txn + ", patch " + patch;
                        expect(p, q, JsonToken.START_ARRAY, fileName, where + " to be [pos, deleted, inserted]");
                        int pos = intField(p, fileName, where, "pos");
                        int del = intField(p, fileName, where, "deleted count");
                        expect(p, p.nextToken(), JsonToken.VALUE_STRING, fileName, where + "'s third element (inserted text) to be a string");
                        String ins = p.getText();
                        expect(p, p.nextToken(), JsonToken.END_ARRAY, fileName, where + " to have exactly 3 elements");
                        if (del == 0 && ins.isEmpty()) {
                            throw new TraceFormatException(fileName + ": " + where + " neither deletes nor inserts anything");
                        }
                        checkBmp(fileName, where, ins);
                        b.patch(pos, del, ins);
                        patch++;
                    }
                    sawPatches = true;
                } else {
                    p.skipChildren();
                }
            }
            if (!sawPatches) {
                throw new TraceFormatException(fileName + ": transaction " + txn + " has no patches array");
            }
            txn++;
        }
    }

    private static int intField(JsonParser p, String fileName, String where, String what) throws IOException {
        JsonToken t = p.nextToken();
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw new TraceFormatException(fileName + ": " + where + ": expected " + what + " to be an integer, found "
                    + (t == null ? "the end of the file" : p.getText()));
        }
        long v = p.getLongValue();
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new TraceFormatException(fileName + ": " + where + ": " + what + " " + v + " is out of range [0, 2^31)");
        }
        return (int) v;
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String fileName, String what)
            throws IOException {
        if (actual != expected) {
            throw new TraceFormatException(fileName + ": expected " + what + ", found "
                    + (actual == null ? "the end of the file" : "'" + p.getText() + "'")
                    + " at line " + p.currentLocation().getLineNr());
        }
    }

    private static void checkBmp(String fileName, String where, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                throw new TraceFormatException(fileName + ": " + where + " holds a code point above U+FFFF at character "
                        + i + "; this loader counts positions in UTF-16 units and supports only traces without such"
                        + " code points");
            }
        }
    }

    /** Replays into a StringBuilder, checking every position against the text it applies to. */
    private void verify(String fileName) {
        StringBuilder sb = new StringBuilder();
        for (int txn = 0; txn < transactions(); txn++) {
            for (int i = txnStarts[txn]; i < txnStarts[txn + 1]; i++) {
                int pos = positions[i];
                if (pos + deletes[i] > sb.length()) {
                    throw new TraceFormatException(fileName + ": transaction " + txn + ", patch " + (i - txnStarts[txn])
                            + " touches [" + pos + ", " + (pos + deletes[i]) + ") but the text is only " + sb.length()
                            + " characters long there");
                }
                sb.replace(pos, pos + deletes[i], inserts[i]);
            }
        }
        if (!sb.toString().equals(endContent)) {
            int at = Arrays.mismatch(sb.toString().toCharArray(), endContent.toCharArray());
            throw new TraceFormatException(fileName + ": replaying the patches does not give endContent (first difference at"
                    + " character " + at + " of " + endContent.length() + ")");
        }
    }

    private static final class Builder {
        private int[] txnStarts = new int[1024];
        private int txns;
        private int[] positions = new int[1024];
        private int[] deletes = new int[1024];
        private String[] inserts = new String[1024];
        private int n;

        void startTxn() {
            if (txns == txnStarts.length) {
                txnStarts = Arrays.copyOf(txnStarts, txns * 2);
            }
            txnStarts[txns++] = n;
        }

        void patch(int pos, int del, String ins) {
            if (n == positions.length) {
                positions = Arrays.copyOf(positions, n * 2);
                deletes = Arrays.copyOf(deletes, n * 2);
                inserts = Arrays.copyOf(inserts, n * 2);
            }
            positions[n] = pos;
            deletes[n] = del;
            inserts[n] = ins.isEmpty() ? "" : ins.length() == 1 ? String.valueOf(ins.charAt(0)).intern() : ins;
            n++;
        }

        EditTrace build(String name, String end) {
            int[] starts = Arrays.copyOf(txnStarts, txns + 1);
            starts[txns] = n;
            return new EditTrace(name, end, starts, Arrays.copyOf(positions, n), Arrays.copyOf(deletes, n),
                    Arrays.copyOf(inserts, n));
        }
    }
}
