package dev.deepcuts.wal;

/** Receives log records in LSN order. The payload is {@code data[offset .. offset+length)}, valid only during the call. */
@FunctionalInterface
public interface RecordHandler {
    void record(long lsn, int type, byte[] data, int offset, int length);
}
