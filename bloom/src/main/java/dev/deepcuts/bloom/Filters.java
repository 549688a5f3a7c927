package dev.deepcuts.bloom;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads any filter written by {@link Filter#writeTo}. The format is versioned and checksummed:
 * a magic number, a format version, the filter type, its parameters, the payload, and CRC32C
 * checksums after the parameters and at the end, so that any corrupted or missing byte is
 * reported instead of producing a filter with false negatives.
 */
public final class Filters {

    private Filters() {}

    /**
     * Reads one filter from {@code in}, consuming exactly its bytes (the stream is left just after
     * it, so several filters can be stored back to back). Does not close {@code in}. Reads the
     * payload in 64 KiB chunks straight into the filter's arrays; wrap a raw file stream in a
     * {@link java.io.BufferedInputStream} to make the few small header reads cheap.
     *
     * @return the filter, of the type that was written ({@link BloomFilter},
     *     {@link BinaryFuseFilter}, ...); test with {@code instanceof} or a pattern switch
     * @throws CorruptFilterException if the bytes are not a valid filter: wrong magic, unsupported
     *     version, unknown type, truncated input, checksum mismatch, or parameters out of range;
     *     the message names the problem and the byte offset
     * @throws IOException if {@code in} fails
     */
    public static Filter read(InputStream in) throws IOException {
        var r = new FilterFormat.Reader(in);
        int type = r.header();
        return switch (type) {
            case FilterFormat.TYPE_BLOOM -> BloomFilter.read(r);
            case FilterFormat.TYPE_BLOCKED -> BlockedBloomFilter.read(r);
            case FilterFormat.TYPE_SPLIT_BLOCK -> SplitBlockBloomFilter.read(r);
            case FilterFormat.TYPE_COUNTING -> CountingBloomFilter.read(r);
            case FilterFormat.TYPE_SCALABLE -> ScalableBloomFilter.read(r);
            case FilterFormat.TYPE_FUSE8 -> BinaryFuseFilter.read(r, 8);
            case FilterFormat.TYPE_FUSE16 -> BinaryFuseFilter.read(r, 16);
            default -> throw new AssertionError("header() accepted unknown type " + type);
        };
    }
}
