package dev.deepcuts.bloom.lab;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

import dev.deepcuts.bloom.Filter;

/**
 * One immutable sorted run of an LSM-style store, on disk: the keys in ascending order, cut into
 * blocks of about 4 KiB, each block followed by its CRC32C; a sparse index (the first key and the
 * offset of every block) kept in memory; and, optionally, a filter over all the run's keys.
 *
 * <p>A point lookup asks the filter first (if there is one); on "maybe" it binary-searches the
 * sparse index for the one block that could hold the key, reads that block from the file with one
 * positional read, checks the block's checksum and searches it. The number of file reads is what
 * the {@code lsm} lab counts: it is the cost a filter exists to avoid. This is the shape of a
 * LevelDB/RocksDB table (data blocks, index block, filter block), reduced to what the lab needs.
 *
 * <p>Entry layout in a block: key (8 bytes, little-endian), value length (2 bytes), value bytes.
 * Block layout: entry count (4 bytes), entries, CRC32C of the preceding bytes (4 bytes).
 */
final class SsTable implements AutoCloseable {

    static final int BLOCK_BYTES = 4096;

    private final FileChannel channel;
    private final long[] firstKeys;  // sparse index: first key of each block
    private final long[] offsets;    // block start offsets, plus the file length at the end
    private final long minKey;
    private final long maxKey;
    private final Filter filter;
    private final boolean ownsChannel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BLOCK_BYTES * 2).order(ByteOrder.LITTLE_ENDIAN);
    private long reads;

    private SsTable(FileChannel channel, long[] firstKeys, long[] offsets, long minKey, long maxKey, Filter filter,
                    boolean ownsChannel) {
        this.channel = channel;
        this.ownsChannel = ownsChannel;
        this.firstKeys = firstKeys;
        this.offsets = offsets;
        this.minKey = minKey;
        this.maxKey = maxKey;
        this.filter = filter;
    }

    /**
     * Writes {@code sortedKeys} (ascending, distinct) with their values to {@code file} and opens it.
     *
     * @param filter a filter already holding every key of the run, or null for none
     */
    static SsTable write(Path file, long[] sortedKeys, ValueSource values, Filter filter) throws IOException {
        if (sortedKeys.length == 0) throw new IllegalArgumentException("a run needs at least one key");
        var firstKeys = new long[sortedKeys.length];
        var offsets = new long[sortedKeys.length + 1];
        int blocks = 0;
        var block = ByteBuffer.allocate(BLOCK_BYTES * 2).order(ByteOrder.LITTLE_ENDIAN);
        var crc = new CRC32C();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            long position = 0;
            int i = 0;
            while (i < sortedKeys.length) {
                block.clear();
                block.putInt(0); // entry count, patched below
                int count = 0;
                firstKeys[blocks] = sortedKeys[i];
                while (i < sortedKeys.length) {
                    byte[] v = values.value(sortedKeys[i]);
                    if (count > 0 && block.position() + 10 + v.length + 4 > BLOCK_BYTES) break;
                    if (i > 0 && sortedKeys[i] <= sortedKeys[i - 1]) {
                        throw new IllegalArgumentException("keys must be ascending and distinct: " + sortedKeys[i - 1] + " then " + sortedKeys[i]);
                    }
                    block.putLong(sortedKeys[i]).putShort((short) v.length).put(v);
                    count++;
                    i++;
                }
                block.putInt(0, count);
                crc.reset();
                crc.update(block.array(), 0, block.position());
                block.putInt((int) crc.getValue());
                block.flip();
                offsets[blocks++] = position;
                while (block.hasRemaining()) position += out.write(block, position);
            }
            offsets[blocks] = position;
        }
        FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        return new SsTable(in, Arrays.copyOf(firstKeys, blocks), Arrays.copyOf(offsets, blocks + 1),
                sortedKeys[0], sortedKeys[sortedKeys.length - 1], filter, true);
    }

    /** The same file and index with another filter (or none), with its own read counter; closing it leaves the file open. */
    SsTable withFilter(Filter other) {
        return new SsTable(channel, firstKeys, offsets, minKey, maxKey, other, false);
    }

    /** Produces the value stored for a key (the lab derives it from the key, so it can check answers). */
    @FunctionalInterface
    interface ValueSource {
        byte[] value(long key);
    }

    // region sstable-get
    /** The value of {@code key}, or null; counts a file read only when the block is fetched. */
    byte[] get(long key) throws IOException {
        if (key < minKey || key > maxKey) return null;          // outside the run's key range
        if (filter != null && !filter.mightContain(key)) {
            return null;                                        // "definitely not here": no read
        }
        int b = blockFor(key);                                  // sparse index, in memory
        ByteBuffer block = readBlock(b);                        // one positional read of ~4 KiB
        return search(block, key);
    }
    // endregion sstable-get

    /** File reads done so far by {@link #get}. */
    long reads() {
        return reads;
    }

    /** Bytes of the file. */
    long fileBytes() {
        return offsets[offsets.length - 1];
    }

    /** Bits of the filter, or 0. */
    long filterBits() {
        return filter == null ? 0 : filter.bitSize();
    }

    private int blockFor(long key) {
        int i = Arrays.binarySearch(firstKeys, key);
        return i >= 0 ? i : -i - 2; // the last block whose first key is below the key
    }

    private ByteBuffer readBlock(int b) throws IOException {
        long start = offsets[b];
        int length = (int) (offsets[b + 1] - start);
        buffer.clear().limit(length);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, start + buffer.position());
            if (n < 0) throw new IOException("unexpected end of table at offset " + (start + buffer.position()));
        }
        reads++;
        buffer.flip();
        var crc = new CRC32C();
        crc.update(buffer.duplicate().limit(length - 4));
        int stored = buffer.getInt(length - 4);
        if (stored != (int) crc.getValue()) {
            throw new IOException(String.format("block %d at offset %d: checksum mismatch, stored 0x%08x, computed 0x%08x",
                    b, start, stored, (int) crc.getValue()));
        }
        return buffer;
    }

    private static byte[] search(ByteBuffer block, long key) {
        int count = block.getInt(0);
        int p = 4;
        for (int i = 0; i < count; i++) {
            long k = block.getLong(p);
            int len = block.getShort(p + 8) & 0xFFFF;
            if (k == key) {
                byte[] v = new byte[len];
                block.get(p + 10, v);
                return v;
            }
            if (k > key) return null;
            p += 10 + len;
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        if (ownsChannel) channel.close();
    }
}
