package dev.deepcuts.wal;

import java.util.zip.CRC32C;

/**
 * The bytes on disk. A log is a sequence of segment files; an LSN (log sequence number) is a byte
 * address in the unbounded log, so segment {@code k} holds LSNs {@code [k*size, (k+1)*size)} and
 * the record at LSN {@code x} sits at offset {@code x mod size} of its segment.
 *
 * <pre>
 * segment header, 32 bytes at offset 0:
 *   0  "DCWALSEG"    8  u32 format (1)   12  u32 segment size   16  u64 first LSN of the segment
 *   24 u32 zero      28 u32 CRC32C of bytes 0..27
 *
 * record, at an 8-byte-aligned LSN, padded with zeros to a multiple of 8:
 *   0  u32 length (header + payload)     4  u32 CRC32C of bytes 0..3 and 8..length-1
 *   8  u64 LSN (its own address: a record left over in a recycled segment cannot pass for a new one)
 *   16 u32 distance back to the start of the flush that wrote it (tells a torn tail from corruption)
 *   20 u8 type (0: switch to the next segment)   21..23 zero   24 payload
 * </pre>
 * All integers little-endian.
 */
final class Format {

    static final int SEGMENT_HEADER = 32;
    static final int RECORD_HEADER = 24;
    static final int VERSION = 1;
    static final int SWITCH = 0;
    private static final byte[] MAGIC = {'D', 'C', 'W', 'A', 'L', 'S', 'E', 'G'};
    private static final ThreadLocal<CRC32C> CHECKSUM = ThreadLocal.withInitial(CRC32C::new);

    private Format() {}

    static int align8(int n) {
        return (n + 7) & ~7;
    }

    static String segmentName(long segment) {
        return String.format("%016X.wal", segment);
    }

    /** The segment number of a segment file name, or -1 if the name is not one. */
    static long segmentOf(String name) {
        if (name.length() != 20 || !name.endsWith(".wal")) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(name.substring(0, 16), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The LSN where the oldest segment file in {@code storage} begins, or 0 when there is none. */
    static long oldestSegmentStart(Storage storage, int segmentSize) throws java.io.IOException {
        long oldest = Long.MAX_VALUE;
        for (String name : storage.list()) {
            long seg = segmentOf(name);
            if (seg >= 0) {
                oldest = Math.min(oldest, seg);
            }
        }
        return oldest == Long.MAX_VALUE ? 0 : oldest * segmentSize;
    }

    static void writeSegmentHeader(byte[] b, int at, int segmentSize, long firstLsn) {
        System.arraycopy(MAGIC, 0, b, at, 8);
        putInt(b, at + 8, VERSION);
        putInt(b, at + 12, segmentSize);
        putLong(b, at + 16, firstLsn);
        putInt(b, at + 24, 0);
        putInt(b, at + 28, crc(b, at, 28));
    }

    /** Whether {@code b[at..]} is a valid header of the segment starting at {@code firstLsn}. */
    static boolean validSegmentHeader(byte[] b, int at, int segmentSize, long firstLsn) {
        for (int i = 0; i < 8; i++) {
            if (b[at + i] != MAGIC[i]) {
                return false;
            }
        }
        return getInt(b, at + 28) == crc(b, at, 28) && getInt(b, at + 8) == VERSION
                && getInt(b, at + 12) == segmentSize && getLong(b, at + 16) == firstLsn;
    }

    // region record-check
    /**
     * Whether a valid record for LSN {@code lsn} starts at {@code b[at]}, with at most
     * {@code room} bytes available: its length fits, its LSN is its own address and its checksum
     * matches. Returns the record's length, or -1.
     */
    static int validRecord(byte[] b, int at, int room, long lsn) {
        if (room < RECORD_HEADER) {
            return -1;
        }
        int length = getInt(b, at);
        if (length < RECORD_HEADER || length > room || getLong(b, at + 8) != lsn) {
            return -1;                       // zeros, garbage, or a leftover from a recycled segment
        }
        int stored = getInt(b, at + 4);
        putInt(b, at + 4, length);           // bytes 0..3 then 8..: with the length copied over the checksum,
        CRC32C c = CHECKSUM.get();           // that is the one contiguous range 4..length-1, one call
        c.reset();
        c.update(b, at + 4, length - 4);
        putInt(b, at + 4, stored);           // put back as it was
        return (int) c.getValue() == stored ? length : -1;
    }
    // endregion record-check

    /** Fills in the flush distance and the checksum of the record at {@code b[at]} (the flusher does this). */
    static void seal(byte[] b, int at, int batchDistance) {
        putInt(b, at + 16, batchDistance);
        int length = getInt(b, at);
        putInt(b, at + 4, length);           // as in validRecord: bytes 0..3 and 8.. checked as the one range 4..
        putInt(b, at + 4, crc(b, at + 4, length - 4));
    }

    static int crc(byte[] b, int at, int length) {
        CRC32C c = new CRC32C();
        c.update(b, at, length);
        return (int) c.getValue();
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) v);
        putInt(b, at + 4, (int) (v >>> 32));
    }

    static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    static long getLong(byte[] b, int at) {
        return (getInt(b, at) & 0xffffffffL) | ((long) getInt(b, at + 4) << 32);
    }
}
