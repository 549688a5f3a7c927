package dev.deepcuts.wal;

/**
 * How a {@link WriteAheadLog} is laid out and when it syncs. Immutable; start from
 * {@link #defaults()} and change what you need.
 *
 * @param segmentSize        bytes per segment file: a power of two from 4 KiB to 256 MiB (default 16 MiB, as PostgreSQL)
 * @param durability         when a commit returns
 * @param asyncIntervalMillis how often the background flusher runs in {@link Durability#ASYNC} mode
 * @param spareSegments      recycled segments kept for reuse after a checkpoint (the rest are deleted)
 */
public record WalConfig(int segmentSize, Durability durability, long asyncIntervalMillis, int spareSegments) {

    public WalConfig {
        if (segmentSize < 4096 || segmentSize > (1 << 28) || Integer.bitCount(segmentSize) != 1) {
            throw new IllegalArgumentException("segmentSize must be a power of two in [4096, 2^28], got " + segmentSize);
        }
        if (durability == null) {
            throw new IllegalArgumentException("durability must be one of SYNC_EACH, GROUP, ASYNC, got null");
        }
        if (asyncIntervalMillis < 1) {
            throw new IllegalArgumentException("asyncIntervalMillis must be at least 1, got " + asyncIntervalMillis);
        }
        if (spareSegments < 0) {
            throw new IllegalArgumentException("spareSegments must not be negative, got " + spareSegments);
        }
    }

    /** 16 MiB segments, group commit, 10 ms async interval, 2 spare segments. */
    public static WalConfig defaults() {
        return new WalConfig(16 << 20, Durability.GROUP, 10, 2);
    }

    public WalConfig withSegmentSize(int bytes) {
        return new WalConfig(bytes, durability, asyncIntervalMillis, spareSegments);
    }

    public WalConfig withDurability(Durability d) {
        return new WalConfig(segmentSize, d, asyncIntervalMillis, spareSegments);
    }

    public WalConfig withAsyncIntervalMillis(long millis) {
        return new WalConfig(segmentSize, durability, millis, spareSegments);
    }

    public WalConfig withSpareSegments(int n) {
        return new WalConfig(segmentSize, durability, asyncIntervalMillis, n);
    }

    /** The largest payload a record can carry: it must fit in one segment. */
    public int maxPayload() {
        return segmentSize - Format.SEGMENT_HEADER - Format.RECORD_HEADER;
    }
}
