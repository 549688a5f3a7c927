package dev.deepcuts.wal;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * One fixed-size data page of the key-value store, decoded: its LSN (the last log record applied to
 * it) and its sorted entries. On disk:
 * <pre>
 *   0 u64 page LSN   8 u32 CRC32C of the page without these 4 bytes   12 u16 entries   14 u16 zero
 *   16 entries: u16 key length, u16 value length, key, value ... then zeros to the page end
 * </pre>
 * A page of all zeros is a page never written: empty, LSN 0.
 */
final class Page {

    static final int HEADER = 16;

    final int no;
    long lsn;
    final TreeMap<byte[], byte[]> entries = new TreeMap<>(Arrays::compareUnsigned);
    int used = HEADER;
    boolean dirty;
    long recLsn;          // the first record that dirtied it since it was last written: where its redo starts
    boolean pinned;       // a commit in progress is changing it: it must not be written back (no-steal)

    Page(int no) {
        this.no = no;
    }

    static int entrySize(byte[] key, byte[] value) {
        return 4 + key.length + value.length;
    }

    /** Whether putting {@code key = value} fits. */
    boolean fits(byte[] key, byte[] value, int pageSize) {
        byte[] old = entries.get(key);
        int delta = entrySize(key, value) - (old == null ? 0 : entrySize(key, old));
        return used + delta <= pageSize;
    }

    void put(byte[] key, byte[] value) {
        byte[] old = entries.put(key, value);
        used += entrySize(key, value) - (old == null ? 0 : entrySize(key, old));
    }

    /**
     * Sets {@code key} to {@code src[off .. off+len)}: in place, when the old value has that length
     * (no new array, and no new reference stored into an old map entry, which the garbage
     * collector would have to track), else as a copy. For redo, which owns its pages' values.
     */
    void overwrite(byte[] key, byte[] src, int off, int len) {
        byte[] old = entries.get(key);
        if (old != null && old.length == len) {
            System.arraycopy(src, off, old, 0, len);
        } else {
            put(key, Arrays.copyOfRange(src, off, off + len));
        }
    }

    void delete(byte[] key) {
        byte[] old = entries.remove(key);
        if (old != null) {
            used -= entrySize(key, old);
        }
    }

    // region page-checksum
    byte[] encode(int pageSize) {
        byte[] b = new byte[pageSize];
        Format.putLong(b, 0, lsn);
        b[12] = (byte) entries.size();
        b[13] = (byte) (entries.size() >>> 8);
        int at = HEADER;
        for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
            byte[] k = e.getKey();
            byte[] v = e.getValue();
            b[at] = (byte) k.length;
            b[at + 1] = (byte) (k.length >>> 8);
            b[at + 2] = (byte) v.length;
            b[at + 3] = (byte) (v.length >>> 8);
            System.arraycopy(k, 0, b, at + 4, k.length);
            System.arraycopy(v, 0, b, at + 4 + k.length, v.length);
            at += 4 + k.length + v.length;
        }
        Format.putInt(b, 8, checksum(b));
        return b;
    }

    /** Decodes a page read from disk; null if its checksum fails (torn or damaged). */
    static Page decode(int no, byte[] b) {
        Page p = new Page(no);
        boolean zero = true;
        for (int i = 0; i < b.length && zero; i++) {
            zero = b[i] == 0;
        }
        if (zero) {
            return p;                                   // never written
        }
        if (Format.getInt(b, 8) != checksum(b)) {
            return null;
        }
        // endregion page-checksum
        p.lsn = Format.getLong(b, 0);
        int n = (b[12] & 0xff) | (b[13] & 0xff) << 8;
        int at = HEADER;
        for (int i = 0; i < n; i++) {
            int kl = (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
            int vl = (b[at + 2] & 0xff) | (b[at + 3] & 0xff) << 8;
            p.put(Arrays.copyOfRange(b, at + 4, at + 4 + kl), Arrays.copyOfRange(b, at + 4 + kl, at + 4 + kl + vl));
            at += 4 + kl + vl;
        }
        return p;
    }

    private static int checksum(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b, 0, 8);
        c.update(b, 12, b.length - 12);
        return (int) c.getValue();
    }
}
