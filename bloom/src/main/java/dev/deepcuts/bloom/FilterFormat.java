package dev.deepcuts.bloom;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The serialized form shared by every filter: a fixed header, type-specific parameters, the
 * payload, and CRC32C checkpoints. Package-private; {@link Filter#writeTo} and {@link Filters#read}
 * are the public doors.
 *
 * <pre>
 * offset  size  field
 *      0     4  magic "DCBF" (0x44 0x43 0x42 0x46)
 *      4     1  format version, 2 (1 is read for the filter types whose hashing it shares)
 *      5     1  filter type (see the TYPE_ constants)
 *      6     2  reserved, zero
 *      8     …  parameters of the type, little-endian
 *      …     4  checkpoint: CRC32C of every byte before it
 *      …     …  payload (words of the filter, little-endian), possibly in several sections,
 *               each preceded by its parameters and a checkpoint
 *      …     4  checkpoint: CRC32C of every byte before it (the whole filter)
 * </pre>
 *
 * <p>Why checkpoints and not one checksum at the end: the reader must size its arrays from the
 * parameters before it can read the payload. A flipped bit in a size field could ask for 16 GiB;
 * the checkpoint right after the parameters catches that before anything is allocated. The final
 * checkpoint covers everything, so any single corrupted byte, anywhere, is detected. Payload is
 * copied through a 64 KiB buffer, so a filter of any size streams without one giant byte array.
 */
final class FilterFormat {

    static final int MAGIC = 0x46424344; // "DCBF" read as a little-endian int
    /**
     * The version written. Version 2 changed how the blocked, split-block and binary fuse filters
     * hash a {@code long} key (MurmurHash3 x64-128 in version 1; {@link KeyHash} since), so a
     * version-1 filter of those types would answer "certainly not" for keys it holds and is
     * refused; the classic, counting and scalable filters hash as before and read from either.
     */
    static final int VERSION = 2;
    static final int VERSION_1 = 1;
    static final int HEADER_BYTES = 8;

    static final int TYPE_BLOOM = 1;
    /** The first blocked layout (k bits anywhere in the block); retired, refused by the reader. */
    static final int TYPE_BLOCKED_RETIRED = 2;
    static final int TYPE_SPLIT_BLOCK = 3;
    static final int TYPE_COUNTING = 4;
    static final int TYPE_SCALABLE = 5;
    static final int TYPE_FUSE8 = 6;
    static final int TYPE_FUSE16 = 7;
    /** The blocked filter with its two-word layout (three bits in each of two words of a block). */
    static final int TYPE_BLOCKED = 8;
    static final int TYPE_LAST = TYPE_BLOCKED;

    private static final int CHUNK = 64 * 1024;

    private FilterFormat() {}

    static String typeName(int type) {
        return switch (type) {
            case TYPE_BLOOM -> "BloomFilter";
            case TYPE_BLOCKED -> "BlockedBloomFilter";
            case TYPE_BLOCKED_RETIRED -> "BlockedBloomFilter (retired layout)";
            case TYPE_SPLIT_BLOCK -> "SplitBlockBloomFilter";
            case TYPE_COUNTING -> "CountingBloomFilter";
            case TYPE_SCALABLE -> "ScalableBloomFilter";
            case TYPE_FUSE8 -> "BinaryFuseFilter (8-bit)";
            case TYPE_FUSE16 -> "BinaryFuseFilter (16-bit)";
            default -> "unknown";
        };
    }

    /** Writes one filter: little-endian fields through a buffer, CRC32C of everything written. */
    static final class Writer {
        private final OutputStream out;
        private final CRC32C crc = new CRC32C();
        private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);

        Writer(OutputStream out, int type) {
            this.out = out;
            buffer.putInt(MAGIC).put((byte) VERSION).put((byte) type).putShort((short) 0);
        }

        Writer putByte(int v) throws IOException {
            room(1);
            buffer.put((byte) v);
            return this;
        }

        Writer putInt(int v) throws IOException {
            room(4);
            buffer.putInt(v);
            return this;
        }

        Writer putLong(long v) throws IOException {
            room(8);
            buffer.putLong(v);
            return this;
        }

        Writer putDouble(double v) throws IOException {
            room(8);
            buffer.putDouble(v);
            return this;
        }

        void putLongs(long[] values) throws IOException {
            for (int from = 0; from < values.length; ) {
                room(8);
                int n = Math.min(buffer.remaining() / 8, values.length - from);
                buffer.asLongBuffer().put(values, from, n);
                buffer.position(buffer.position() + n * 8);
                from += n;
            }
        }

        void putInts(int[] values) throws IOException {
            for (int from = 0; from < values.length; ) {
                room(4);
                int n = Math.min(buffer.remaining() / 4, values.length - from);
                buffer.asIntBuffer().put(values, from, n);
                buffer.position(buffer.position() + n * 4);
                from += n;
            }
        }

        void putShorts(short[] values) throws IOException {
            for (int from = 0; from < values.length; ) {
                room(2);
                int n = Math.min(buffer.remaining() / 2, values.length - from);
                buffer.asShortBuffer().put(values, from, n);
                buffer.position(buffer.position() + n * 2);
                from += n;
            }
        }

        void putBytes(byte[] values) throws IOException {
            for (int from = 0; from < values.length; ) {
                room(1);
                int n = Math.min(buffer.remaining(), values.length - from);
                buffer.put(values, from, n);
                from += n;
            }
        }

        /** Writes the CRC32C of every byte written so far. */
        void checkpoint() throws IOException {
            drain();
            putInt((int) crc.getValue());
        }

        /** Writes the final checkpoint and flushes (does not close) the stream. */
        void finish() throws IOException {
            checkpoint();
            drain();
            out.flush();
        }

        private void room(int bytes) throws IOException {
            if (buffer.remaining() < bytes) {
                drain();
            }
        }

        private void drain() throws IOException {
            if (buffer.position() > 0) {
                crc.update(buffer.array(), 0, buffer.position());
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
        }
    }

    /**
     * Reads one filter: exactly its bytes and no more, so the stream is left just after it.
     * Tracks the offset for error messages and the CRC32C of everything read.
     */
    static final class Reader {
        private final InputStream in;
        private final CRC32C crc = new CRC32C();
        private final ByteBuffer small = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        private ByteBuffer chunk;
        private long offset;

        Reader(InputStream in) {
            this.in = in;
        }

        /** The number of bytes read so far. */
        long offset() {
            return offset;
        }

        /** Reads and checks the 8-byte header; returns the filter type. */
        int header() throws IOException {
            ByteBuffer b = fill(small, HEADER_BYTES, "header");
            int magic = b.getInt(0);
            if (magic != MAGIC) {
                throw new CorruptFilterException(0, String.format(
                        "bad magic 0x%08x at offset 0: not a deepcuts filter (expected 0x%08x, \"DCBF\")",
                        Integer.reverseBytes(magic), Integer.reverseBytes(MAGIC)));
            }
            int version = b.get(4) & 0xFF;
            if (version != VERSION && version != VERSION_1) {
                throw new CorruptFilterException(4, "unsupported format version " + version
                        + " at offset 4 (this reader understands " + VERSION_1 + " and " + VERSION + ")");
            }
            int type = b.get(5) & 0xFF;
            if (type < TYPE_BLOOM || type > TYPE_LAST) {
                throw new CorruptFilterException(5, "unknown filter type " + type + " at offset 5 (known: "
                        + TYPE_BLOOM + ".." + TYPE_LAST + ")");
            }
            if (type == TYPE_BLOCKED_RETIRED) {
                // its bits sit where the current layout would not look: reading it would answer
                // "certainly not" for keys it holds, so refuse rather than return false negatives
                throw new CorruptFilterException(5, "filter type " + type + " at offset 5 is a blocked filter"
                        + " in the retired layout of an earlier version (k bits anywhere in the block);"
                        + " this reader refuses it rather than answer wrongly: rebuild the filter from its keys"
                        + " (current blocked type: " + TYPE_BLOCKED + ")");
            }
            if (version == VERSION_1 && rehashedInVersion2(type)) {
                throw new CorruptFilterException(4, "format version 1 " + typeName(type) + " at offset 4:"
                        + " version 1 hashed long keys of this filter type with MurmurHash3, version " + VERSION
                        + " mixes them with MurmurHash3's 64-bit finaliser, so its bits sit where this reader"
                        + " would not look; it refuses the filter rather than answer wrongly: rebuild it from its keys");
            }
            int reserved = b.getShort(6) & 0xFFFF;
            if (reserved != 0) {
                throw new CorruptFilterException(6, String.format(
                        "reserved field 0x%04x at offset 6 must be zero", reserved));
            }
            return type;
        }

        private static boolean rehashedInVersion2(int type) {
            return type == TYPE_BLOCKED || type == TYPE_SPLIT_BLOCK || type == TYPE_FUSE8 || type == TYPE_FUSE16;
        }

        int getByte(String what) throws IOException {
            return fill(small, 1, what).get(0) & 0xFF;
        }

        int getInt(String what) throws IOException {
            return fill(small, 4, what).getInt(0);
        }

        long getLong(String what) throws IOException {
            return fill(small, 8, what).getLong(0);
        }

        double getDouble(String what) throws IOException {
            return fill(small, 8, what).getDouble(0);
        }

        void getLongs(long[] into, String what) throws IOException {
            for (int from = 0; from < into.length; ) {
                int n = Math.min(CHUNK / 8, into.length - from);
                fill(chunk(), n * 8, what).asLongBuffer().get(into, from, n);
                from += n;
            }
        }

        void getInts(int[] into, String what) throws IOException {
            for (int from = 0; from < into.length; ) {
                int n = Math.min(CHUNK / 4, into.length - from);
                fill(chunk(), n * 4, what).asIntBuffer().get(into, from, n);
                from += n;
            }
        }

        void getShorts(short[] into, String what) throws IOException {
            for (int from = 0; from < into.length; ) {
                int n = Math.min(CHUNK / 2, into.length - from);
                fill(chunk(), n * 2, what).asShortBuffer().get(into, from, n);
                from += n;
            }
        }

        void getBytes(byte[] into, String what) throws IOException {
            for (int from = 0; from < into.length; ) {
                int n = Math.min(CHUNK, into.length - from);
                fill(chunk(), n, what).get(into, from, n);
                from += n;
            }
        }

        /** Reads a stored CRC32C and compares it with the CRC32C of every byte before it. */
        void checkpoint(String what) throws IOException {
            int computed = (int) crc.getValue();
            long at = offset;
            int stored = getInt("checksum of " + what);
            if (stored != computed) {
                throw new CorruptFilterException(at, String.format(
                        "checksum mismatch at offset %d (%s): stored 0x%08x, computed 0x%08x",
                        at, what, stored, computed));
            }
        }

        /** A parameter that passed its checksum but is out of range: a writer bug or crafted input. */
        CorruptFilterException invalid(long at, String what, Object value, String expected) {
            return new CorruptFilterException(at, "invalid " + what + " " + value + " at offset " + at
                    + ": expected " + expected);
        }

        private ByteBuffer chunk() {
            if (chunk == null) {
                chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            }
            return chunk;
        }

        /** Reads exactly {@code n} bytes into the start of {@code into}, or says where it stopped. */
        private ByteBuffer fill(ByteBuffer into, int n, String what) throws IOException {
            byte[] array = into.array();
            int got = 0;
            while (got < n) {
                int r = in.read(array, got, n - got);
                if (r < 0) {
                    throw new CorruptFilterException(offset + got, "truncated at offset " + (offset + got)
                            + ": expected " + n + " bytes of " + what + " from offset " + offset
                            + ", the stream ended after " + got);
                }
                got += r;
            }
            crc.update(array, 0, n);
            offset += n;
            into.clear();
            return into;
        }
    }
}
