package dev.deepcuts.wal;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;

/**
 * Reads a log from an LSN, record by record, checking each one, until the first record that is not
 * valid; then, on request, looks further for evidence that the stop was corruption rather than the
 * log's natural (possibly torn) end. Used by recovery, the inspector and point-in-time recovery.
 */
final class LogScanner implements AutoCloseable {

    /*
     * The segment being read sits in one array, so that a record is always contiguous and the
     * handler gets it in place, but the array is filled lazily, a chunk at a time, just ahead of
     * the record being checked. A file read goes through a direct buffer of the JDK's (kernel to
     * direct buffer to array): done as one 16 MiB read, both copies run through main memory and the
     * checksum then reads the array from main memory a third time; done in chunks that fit in the
     * CPU's cache, the copies and the checksum hit bytes that are still in it.
     */
    private static final int CHUNK = 256 << 10;

    private final Storage storage;
    private final int size;
    private long loaded = -1;
    private boolean present;
    private final byte[] segment;
    private Storage.StorageFile file;   // the loaded segment's file, while part of it is still unread
    private int filled;                 // segment[0..filled) holds the file's bytes (zeros past its end)

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
            fillRecord(off, room);
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
            fill(size);
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

    /**
     * Makes segment {@code seg} the loaded one (its header read, the rest read on demand by
     * {@link #fill}); false if its file is missing or its header is not this segment's.
     */
    private boolean load(long seg) throws IOException {
        if (seg == loaded) {
            return present;
        }
        closeFile();
        loaded = seg;
        present = false;
        filled = 0;
        String name = Format.segmentName(seg);
        if (!storage.exists(name)) {
            return false;
        }
        try {
            file = storage.open(name, false);
        } catch (NoSuchFileException e) {
            return false;
        }
        fill(Format.SEGMENT_HEADER);
        present = Format.validSegmentHeader(segment, 0, size, seg * size);
        return present;
    }

    /** Reads the loaded segment up to at least {@code upTo} bytes (in chunks), zeros past the end of its file. */
    private void fill(int upTo) throws IOException {
        while (filled < upTo) {
            int want = Math.min(Math.max(CHUNK, upTo - filled), size - filled);
            int n = file.read(filled, segment, filled, want);
            if (n < want) {                                   // the file ends here: the rest reads as zeros
                Arrays.fill(segment, filled + Math.max(0, n), size, (byte) 0);
                filled = size;
                closeFile();
            } else {
                filled += n;
                if (filled == size) {
                    closeFile();
                }
            }
        }
    }

    private void closeFile() throws IOException {
        if (file != null) {
            Storage.StorageFile f = file;
            file = null;
            f.close();
        }
    }

    /** Reads the record header at {@code off}, then the rest of the record if the length it claims fits in {@code room}. */
    private void fillRecord(int off, int room) throws IOException {
        fill(off + Format.RECORD_HEADER);
        int claimed = Format.getInt(segment, off);
        if (claimed > Format.RECORD_HEADER && claimed <= room) {
            fill(off + claimed);
        }
    }

    /** Closes the file of the segment being read, if any. */
    @Override
    public void close() throws IOException {
        closeFile();
    }
}
