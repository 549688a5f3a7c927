package dev.deepcuts.crdt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compact binary encoding of an {@link OrSet} of integers — its causal context and its dot
 * store — so that replicas can ship it and labs can count the bytes. Unsigned LEB128 varints for
 * counts and counters, zig-zag varints for elements, length-prefixed UTF-8 replica ids; a leading
 * version byte. Decoding checks every length and reports the offset of any corruption.
 *
 * <pre>
 * version(1) | compact: n, n × (replica, counter) | cloud: n, n × (replica, counter)
 *            | store: n, n × (element, m, m × (replica, counter)) | crc32c(4, little-endian)
 * </pre>
 */
public final class OrSetCodec {

    static final int VERSION = 1;

    private OrSetCodec() {
    }

    /** The bytes of {@code set}. */
    public static byte[] encode(OrSet<Integer> set) {
        var out = new ByteArrayOutputStream();
        out.write(VERSION);
        CausalContext c = set.context();
        varint(out, c.compact().size());
        c.compact().forEach((r, n) -> {
            string(out, r);
            varint(out, n);
        });
        varint(out, c.cloud().size());
        for (Dot d : c.cloud()) dot(out, d);
        Map<Integer, Set<Dot>> store = set.store();
        varint(out, store.size());
        store.forEach((e, dots) -> {
            varint(out, (e << 1) ^ (e >> 31));
            varint(out, dots.size());
            dots.stream().sorted((a, b) -> a.replica().equals(b.replica()) ? Long.compare(a.counter(), b.counter())
                    : a.replica().compareTo(b.replica())).forEach(d -> dot(out, d));
        });
        var crc = new java.util.zip.CRC32C();
        byte[] body = out.toByteArray();
        crc.update(body);
        int v = (int) crc.getValue();
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
        return out.toByteArray();
    }

    /**
     * The set encoded in {@code bytes}.
     *
     * @throws IllegalArgumentException naming the offset and the problem, for truncated or corrupt input
     */
    public static OrSet<Integer> decode(byte[] bytes) {
        if (bytes.length < 5) throw new IllegalArgumentException("corrupt OR-Set encoding at offset " + bytes.length
                + ": truncated, " + bytes.length + " bytes is shorter than a version byte and a checksum");
        int end = bytes.length - 4;
        var crc = new java.util.zip.CRC32C();
        crc.update(bytes, 0, end);
        int stored = (bytes[end] & 0xFF) | (bytes[end + 1] & 0xFF) << 8 | (bytes[end + 2] & 0xFF) << 16 | (bytes[end + 3] & 0xFF) << 24;
        if (stored != (int) crc.getValue()) {
            throw new IllegalArgumentException(String.format("corrupt OR-Set encoding at offset %d: checksum mismatch, stored 0x%08x, computed 0x%08x",
                    end, stored, (int) crc.getValue()));
        }
        var in = new Reader(java.util.Arrays.copyOf(bytes, end));
        int version = in.u8();
        if (version != VERSION) throw in.error("unsupported version " + version + " (this reader understands " + VERSION + ")");
        var compactPart = new java.util.TreeMap<String, Long>();
        long compact = in.count();
        for (long i = 0; i < compact; i++) {
            String r = in.string();
            compactPart.put(r, in.varint());
        }
        var cloudPart = new java.util.HashSet<Dot>();
        long cloud = in.count();
        for (long i = 0; i < cloud; i++) cloudPart.add(in.dot());
        CausalContext c = CausalContext.of(compactPart, cloudPart);
        long elements = in.count();
        List<Map.Entry<Integer, Set<Dot>>> store = new ArrayList<>();
        for (long i = 0; i < elements; i++) {
            long z = in.varint();
            int e = (int) ((z >>> 1) ^ -(z & 1));
            long m = in.count();
            var dots = new java.util.HashSet<Dot>();
            for (long k = 0; k < m; k++) {
                Dot d = in.dot();
                if (!c.contains(d)) throw in.error("dot " + d + " of element " + e + " is outside the causal context");
                dots.add(d);
            }
            store.add(Map.entry(e, Set.copyOf(dots)));
        }
        if (in.pos != end) throw in.error((end - in.pos) + " trailing bytes");
        return OrSet.of(store, c);
    }

    private static void dot(ByteArrayOutputStream out, Dot d) {
        string(out, d.replica());
        varint(out, d.counter());
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        varint(out, b.length);
        out.writeBytes(b);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static final class Reader {
        final byte[] b;
        int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("corrupt OR-Set encoding at offset " + pos + ": " + what);
        }

        int u8() {
            if (pos >= b.length) throw error("truncated: expected 1 more byte");
            return b[pos++] & 0xFF;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int x = u8();
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) return v;
            }
            throw error("varint longer than 10 bytes");
        }

        /** A count that cannot exceed the bytes left (each item takes at least one byte). */
        long count() {
            int at = pos;
            long n = varint();
            if (n > b.length - pos) {
                pos = at;
                throw error("count " + n + " exceeds the " + (b.length - at) + " bytes left");
            }
            return n;
        }

        String string() {
            int len = (int) count();
            String s = new String(b, pos, len, StandardCharsets.UTF_8);
            pos += len;
            return s;
        }

        Dot dot() {
            String r = string();
            int at = pos;
            long n = varint();
            if (n < 1) {
                pos = at;
                throw error("dot counter " + n + " must be at least 1");
            }
            return new Dot(r, n);
        }
    }
}
