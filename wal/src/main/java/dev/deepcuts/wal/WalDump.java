package dev.deepcuts.wal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The log inspector, after PostgreSQL's pg_waldump: one line per record, with its LSN (as
 * {@code high/low} in hexadecimal, PostgreSQL's notation), its length, its type and a readable
 * summary of its payload. Reads without changing anything.
 */
public final class WalDump {

    /** One record as the inspector shows it. */
    public record Line(long lsn, int length, String type, String summary) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "lsn: %-12s len: %6d  %-10s %s", WalDump.lsn(lsn), length, type, summary);
        }
    }

    private WalDump() {}

    /** An LSN as PostgreSQL prints it: the high and low 32 bits in hexadecimal. */
    public static String lsn(long lsn) {
        return String.format("%X/%08X", lsn >>> 32, lsn & 0xffffffffL);
    }

    /**
     * The records of the key-value store's log in {@code storage}, from {@code from} (0: the oldest
     * segment), at most {@code limit}.
     */
    public static List<Line> dump(Storage storage, int segmentSize, long from, int limit) throws IOException {
        long start = from;
        if (from == 0) {
            start = Format.oldestSegmentStart(storage, segmentSize);
        }
        List<Line> lines = new ArrayList<>();
        WriteAheadLog.read(storage, segmentSize, start, (lsn, type, data, off, len) -> {
            if (lines.size() < limit) {
                lines.add(new Line(lsn, Format.RECORD_HEADER + len, typeName(type), KvStore.describe(type, data, off, len)));
            }
        });
        return lines;
    }

    private static String typeName(int type) {
        return switch (type) {
            case KvStore.UPDATE -> "UPDATE";
            case KvStore.COMMIT -> "COMMIT";
            case KvStore.CHECKPOINT -> "CHECKPOINT";
            default -> "type " + type;
        };
    }
}
