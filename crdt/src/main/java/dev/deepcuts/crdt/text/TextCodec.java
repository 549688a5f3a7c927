package dev.deepcuts.crdt.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The binary form of a {@link TextDocument} with its full history: every insertion and deletion
 * ever made, by whom, in a causal order, so that decoding replays them into an identical replica
 * (which can then go on syncing: nothing a peer might still refer to is lost).
 *
 * <pre>
 *   "DCTX"  format version (1 byte)
 *   varint  body length, uncompressed
 *   varint  compressed length, then the body, DEFLATE-compressed (java.util.zip, raw)
 *   CRC32C of every byte before it, 4 bytes big-endian
 *
 *   body:   varint entries, then per entry:
 *             kind (0 insert, 1 delete forwards, 2 delete backwards), varint agent, varint length,
 *             insert: left origin, right origin; delete: first character deleted
 *           varint UTF-8 length of the inserted text, then the text of every insertion in order
 *   an id:  0 for none; (zigzag(seq - 1 - id.seq) << 2) | 1 for an id of the entry's own agent,
 *           which is mostly 0 or a small number; (agent << 2) | 2 and then varint seq otherwise
 * </pre>
 *
 * A sequence number is never written: each agent's entries come in order and use consecutive
 * numbers, so the decoder counts them.
 */
final class TextCodec {

    /*
     * Why this layout: the log is already run-length encoded (a typed paragraph is one entry), ids
     * are mostly "the character just before", which the relative form writes as a single byte, and
     * the typed text is kept in one block so the compressor sees prose, not text mixed with numbers.
     * DEFLATE then squeezes the repetition out of both. Automerge's format makes the same choices
     * (columns, relative ids, compression) in more depth:
     * https://automerge.org/automerge-binary-format-spec/
     */

    private static final byte[] MAGIC = {'D', 'C', 'T', 'X'};
    private static final int FORMAT = 1;

    private TextCodec() {}

    static byte[] encode(TextDocument doc) {
        Bytes body = new Bytes();
        StringBuilder text = new StringBuilder();
        int[] entries = {0};
        doc.forEachLogEntry((kind, id, length, a, b) -> entries[0]++);
        body.varint(entries[0]);
        doc.forEachLogEntry((kind, id, length, a, b) -> {
            body.write(kind);
            body.varint(TextOp.agentOf(id));
            body.varint(length);
            body.ref(a, id);
            if (kind == TextDocument.OpLog.INSERT) {
                body.ref(b, id);
                doc.appendChars(text, id, length);
            }
        });
        byte[] utf8 = text.toString().getBytes(StandardCharsets.UTF_8);
        body.varint(utf8.length);
        body.write(utf8, 0, utf8.length);

        byte[] raw = body.toByteArray();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(raw);
        deflater.finish();
        Bytes packed = new Bytes();
        byte[] buf = new byte[1 << 16];
        while (!deflater.finished()) {
            int n = deflater.deflate(buf);
            packed.write(buf, 0, n);
        }
        deflater.end();

        Bytes out = new Bytes();
        out.write(MAGIC, 0, MAGIC.length);
        out.write(FORMAT);
        out.varint(raw.length);
        out.varint(packed.size());
        out.write(packed.toByteArray(), 0, packed.size());
        CRC32C crc = new CRC32C();
        crc.update(out.buffer(), 0, out.size());
        int c = (int) crc.getValue();
        out.write(c >>> 24);
        out.write(c >>> 16);
        out.write(c >>> 8);
        out.write(c);
        return out.toByteArray();
    }

    static TextDocument decode(byte[] bytes, int agent) {
        if (bytes.length < MAGIC.length + 1 + 4) {
            throw new CorruptDocumentException(bytes.length, "only " + bytes.length + " bytes, shorter than any document");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new CorruptDocumentException(i, "not a document (expected the magic bytes \"DCTX\")");
            }
        }
        int end = bytes.length - 4;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, end);
        int stored = (bytes[end] & 0xff) << 24 | (bytes[end + 1] & 0xff) << 16 | (bytes[end + 2] & 0xff) << 8 | (bytes[end + 3] & 0xff);
        if ((int) crc.getValue() != stored) {
            throw new CorruptDocumentException(end, "checksum mismatch (stored " + Integer.toHexString(stored)
                    + ", computed " + Integer.toHexString((int) crc.getValue()) + "): the bytes are damaged or truncated");
        }
        if (bytes[4] != FORMAT) {
            throw new CorruptDocumentException(4, "format version " + bytes[4] + ", this reader knows only " + FORMAT);
        }
        Reader header = new Reader(bytes, 5, end, 0);
        int rawLength = header.varintInt("body length");
        int packedLength = header.varintInt("compressed length");
        if (header.pos + packedLength != end) {
            throw new CorruptDocumentException(header.pos, "compressed length " + packedLength + " does not fit the "
                    + (end - header.pos) + " bytes that follow");
        }
        byte[] raw = new byte[rawLength];
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(bytes, header.pos, packedLength);
            int n = inflater.inflate(raw);
            if (n != rawLength || !inflater.finished()) {
                throw new CorruptDocumentException(header.pos, "the body inflates to " + n + " bytes, expected " + rawLength);
            }
        } catch (DataFormatException e) {
            throw new CorruptDocumentException(header.pos, "the compressed body is invalid (" + e.getMessage() + ")");
        } finally {
            inflater.end();
        }
        return replay(new Reader(raw, 0, raw.length, header.pos), agent);
    }

    private static TextDocument replay(Reader in, int agent) {
        int entries = in.varintInt("entry count");
        byte[] kinds = new byte[entries];
        int[] agents = new int[entries];
        int[] lengths = new int[entries];
        long[] as = new long[entries];
        long[] bs = new long[entries];
        int[] next = new int[16];
        int[] seqs = new int[entries];
        long inserted = 0;
        for (int e = 0; e < entries; e++) {
            long at = in.pos;
            int kind = in.read();
            if (kind > 2) {
                throw new CorruptDocumentException(in.base + at, "entry " + e + " has kind " + kind + ", expected 0, 1 or 2");
            }
            int ag = in.varintInt("agent");
            if (ag > TextDocument.MAX_AGENT) {
                throw new CorruptDocumentException(in.base + at, "entry " + e + " names agent " + ag);
            }
            int len = in.varintInt("length");
            if (len == 0) {
                throw new CorruptDocumentException(in.base + at, "entry " + e + " has length 0");
            }
            if (ag >= next.length) {
                next = java.util.Arrays.copyOf(next, Math.max(ag + 1, next.length * 2));
            }
            int seq = next[ag];
            next[ag] = seq + len;
            long id = TextOp.id(ag, seq);
            kinds[e] = (byte) kind;
            agents[e] = ag;
            lengths[e] = len;
            seqs[e] = seq;
            as[e] = in.ref(id);
            if (kind == TextDocument.OpLog.INSERT) {
                bs[e] = in.ref(id);
                inserted += len;
            }
        }
        int utf8Length = in.varintInt("text length");
        if (in.pos + utf8Length != in.end) {
            throw new CorruptDocumentException(in.base + in.pos, "text of " + utf8Length + " bytes does not fit the "
                    + (in.end - in.pos) + " that remain");
        }
        String text = new String(in.bytes, in.pos, utf8Length, StandardCharsets.UTF_8);
        if (text.length() != inserted) {
            throw new CorruptDocumentException(in.base + in.pos, "the text holds " + text.length()
                    + " characters but the insertions need " + inserted);
        }
        TextDocument doc = new TextDocument(agent);
        int t = 0;
        for (int e = 0; e < entries; e++) {
            TextOp op = switch (kinds[e]) {
                case TextDocument.OpLog.INSERT -> new TextOp.Insert(agents[e], seqs[e], as[e], bs[e], text.substring(t, t += lengths[e]));
                case TextDocument.OpLog.DELETE -> new TextOp.Delete(agents[e], seqs[e], as[e], lengths[e], false);
                default -> new TextOp.Delete(agents[e], seqs[e], as[e], lengths[e], true);
            };
            try {
                doc.apply(op);
            } catch (IllegalArgumentException ex) {
                throw new CorruptDocumentException(in.base, "entry " + e + " cannot apply: " + ex.getMessage());
            }
        }
        if (doc.pending() > 0) {
            throw new CorruptDocumentException(in.base, doc.pending() + " entries name characters the document never had");
        }
        return doc;
    }

    /** A growable byte array with varint writes. */
    private static final class Bytes extends ByteArrayOutputStream {
        Bytes() {
            super(1 << 12);
        }

        byte[] buffer() {
            return buf;
        }

        void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            write((int) v);
        }

        // region codec-ref
        void ref(long ref, long entryId) {
            if (ref == TextOp.NONE) {
                varint(0);
            } else if (TextOp.agentOf(ref) == TextOp.agentOf(entryId)) {
                long delta = (long) TextOp.seqOf(entryId) - 1 - TextOp.seqOf(ref);
                varint(((delta << 1) ^ (delta >> 63)) << 2 | 1);
            } else {
                varint((long) TextOp.agentOf(ref) << 2 | 2);
                varint(TextOp.seqOf(ref));
            }
        }
        // endregion codec-ref
    }

    /** Reads varints from a byte range; {@code base} maps its offsets back into the whole file for messages. */
    private static final class Reader {
        final byte[] bytes;
        final int end;
        final long base;
        int pos;

        Reader(byte[] bytes, int pos, int end, long base) {
            this.bytes = bytes;
            this.pos = pos;
            this.end = end;
            this.base = base;
        }

        int read() {
            if (pos >= end) {
                throw new CorruptDocumentException(base + pos, "unexpected end of data");
            }
            return bytes[pos++] & 0xff;
        }

        long varint(String what) {
            long at = pos;
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = read();
                v |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new CorruptDocumentException(base + at, "the varint for " + what + " never ends");
        }

        int varintInt(String what) {
            long at = pos;
            long v = varint(what);
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new CorruptDocumentException(base + at, what + " " + v + " is out of range");
            }
            return (int) v;
        }

        long ref(long entryId) {
            long at = pos;
            long v = varint("an id");
            int tag = (int) (v & 3);
            long payload = v >>> 2;
            return switch (tag) {
                case 0 -> {
                    if (payload != 0) {
                        throw new CorruptDocumentException(base + at, "malformed empty id");
                    }
                    yield TextOp.NONE;
                }
                case 1 -> {
                    long delta = (payload >>> 1) ^ -(payload & 1);
                    long seq = TextOp.seqOf(entryId) - 1 - delta;
                    if (seq < 0 || seq > Integer.MAX_VALUE) {
                        throw new CorruptDocumentException(base + at, "id with sequence number " + seq);
                    }
                    yield TextOp.id(TextOp.agentOf(entryId), (int) seq);
                }
                case 2 -> {
                    if (payload > TextDocument.MAX_AGENT) {
                        throw new CorruptDocumentException(base + at, "id of agent " + payload);
                    }
                    yield TextOp.id((int) payload, varintInt("an id's sequence number"));
                }
                default -> throw new CorruptDocumentException(base + at, "id with unknown tag 3");
            };
        }
    }
}
