package dev.deepcuts.wal;

/**
 * What opening the log found.
 *
 * @param from         LSN the scan started at
 * @param end          LSN after the last valid record: where new records go
 * @param records      valid records scanned (switch markers not counted)
 * @param bytes        bytes of the log scanned, from {@code from} to {@code end}
 * @param tornTail     whether an invalid tail (torn or never completed writes) was cut off at {@code end}
 * @param detail       what stopped the scan, in words
 */
public record Recovery(long from, long end, long records, long bytes, boolean tornTail, String detail) {
}
