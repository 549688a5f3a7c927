package dev.deepcuts.wal;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;

/**
 * Reads a log from an LSN, record by record, checking each one, until the first record that is not
 * valid; then, on request, looks further for evidence that the stop was corruption rather than the
 * log's natural (possibly torn) end. Used by recovery, the inspector and point-in-time recovery.
 */
final class LogScanner {

    private final Storage storage;
    private final int size;
    private long loaded = -1;
    private boolean present;
    private final byte[] segment;

    LogScanner(Storage storage, int segmentSize) {
        this.storage = storage;
        this.size = segmentSize;
        this.segment = new byte[segmentSize];
    }

    /** A scan's outcome: where it stopped, why, and how much it read. */
    record Stop(long end, long records, String reason) {}

    /** The first LSN where a record may start at or after {@code lsn}. */
    long firstRecordAtOrAfter(long lsn) {
        long off = Math.floorMod(lsn, size);
        return off < Format.SEGMENT_HEADER ? lsn - off + Format.SEGMENT_HEADER : (lsn + 7) & ~7L;
    }

    // region scan
    Stop scan(long from, RecordHandler handler) throws IOException {
        long pos = firstRecordAtOrAfter(from);
        long records = 0;
        while (true) {
            long seg = pos / size;
            if (!load(seg)) {
                return new Stop(pos, records, "segment " + Format.segmentName(seg) + " is missing or not yet used");
            }
            int off = (int) (pos % size);
            int room = size - off;
            if (room < Format.RECORD_HEADER) {
                pos = (seg + 1) * size + Format.SEGMENT_HEADER;       // too little room left for any record
                continue;
            }
            int length = Format.validRecord(segment, off, room, pos);
            if (length < 0) {
                return new Stop(pos, records, "no valid record at " + describe(pos));
            }
            int type = segment[off + 20] & 0xff;
            if (type == Format.SWITCH) {
                pos = (seg + 1) * size + Format.SEGMENT_HEADER;       // the writer moved on to the next segment
                continue;
            }
            handler.record(pos, type, segment, off + Format.RECORD_HEADER, length - Format.RECORD_HEADER);
            records++;
            pos += Format.align8(length);
            if (pos % size == 0) {
                pos += Format.SEGMENT_HEADER;
            }
        }
    }
    // endregion scan

    /**
     * Looks past {@code end} for a valid record written by a later flush than the one that
     * {@code end} belongs to. Flushes are written and synced one after another, so such a record
     * proves that whatever was at {@code end} had been synced — and is now damaged. Returns a
     * description of that record, or null if there is none (the stop was a torn or unfinished tail).
     */
    // region later-flush
    String laterFlush(long end) throws IOException {
        long last = lastSegment();
        for (long seg = end / size; seg <= last; seg++) {
            if (!load(seg)) {
                continue;
            }
            int start = seg == end / size ? (int) (end % size) + 8 : Format.SEGMENT_HEADER;
            for (int off = start; off + Format.RECORD_HEADER <= size; off += 8) {
                long lsn = seg * size + off;
                int length = Format.validRecord(segment, off, size - off, lsn);
                if (length > 0) {
                    long flushStart = lsn - (Format.getInt(segment, off + 16) & 0xffffffffL);
                    if (flushStart > end) {
                        return "a valid record at " + describe(lsn) + " written by a later flush (from LSN "
                                + flushStart + ")";
                    }
                }
            }
        }
        return null;
    }
    // endregion later-flush

    /** The highest segment number present, or -1. */
    long lastSegment() throws IOException {
        long last = -1;
        for (String name : storage.list()) {
            last = Math.max(last, Format.segmentOf(name));
        }
        return last;
    }

    String describe(long lsn) {
        return "LSN " + lsn + " (segment " + Format.segmentName(lsn / size) + ", offset " + lsn % size + ")";
    }

    /** Loads segment {@code seg} into the buffer; false if its file is missing or its header is not this segment's. */
    private boolean load(long seg) throws IOException {
        if (seg == loaded) {
            return present;
        }
        loaded = seg;
        String name = Format.segmentName(seg);
        if (!storage.exists(name)) {
            present = false;
            return false;
        }
        try (Storage.StorageFile f = storage.open(name, false)) {
            int n = f.read(0, segment, 0, size);
            Arrays.fill(segment, Math.max(0, n), size, (byte) 0);
        } catch (NoSuchFileException e) {
            present = false;
            return false;
        }
        present = Format.validSegmentHeader(segment, 0, size, seg * size);
        return present;
    }

    /** Forgets the loaded segment (after the log changed it). */
    void invalidate() {
        loaded = -1;
    }
}
