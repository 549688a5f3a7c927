package dev.deepcuts.wal;

import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * One fixed-size data page of the key-value store, decoded: its LSN (the last log record applied to
 * it) and its entries, sorted by key. On disk:
 * <pre>
 *   0 u64 page LSN   8 u32 CRC32C of the page without these 4 bytes   12 u16 entries   14 u16 zero
 *   16 entries: u16 key length, u16 value length, key, value ... then zeros to the page end
 * </pre>
 * A page of all zeros is a page never written: empty, LSN 0.
 *
 * <p>In memory the entries are two parallel arrays, keys and values in key order, searched by
 * binary search. A page holds tens of entries, so inserting by shifting is cheap, and a lookup
 * touches one array of references and the keys it compares, where a {@code TreeMap} added a
 * node object per entry to every step. Redo, which looks up a key for every record it replays,
 * compares the record's key where it lies in the log buffer, without copying it out.
 */
final class Page {

    static final int HEADER = 16;

    final int no;
    long lsn;
    private byte[][] keys = new byte[8][];
    private byte[][] values = new byte[8][];
    private int size;
    int used = HEADER;
    boolean dirty;
    long recLsn;          // the first record that dirtied it since it was last written: where its redo starts
    boolean pinned;       // a commit in progress is changing it: it must not be written back (no-steal)
    Page prev;            // the buffer pool's least-recently-used list (KvStore.BufferPool)
    Page next;

    Page(int no) {
        this.no = no;
    }

    static int entrySize(byte[] key, byte[] value) {
        return 4 + key.length + value.length;
    }

    /** The number of entries. */
    int size() {
        return size;
    }

    /** The i-th key in key order. Not a copy. */
    byte[] key(int i) {
        return keys[i];
    }

    /** The i-th value in key order. Not a copy. */
    byte[] value(int i) {
        return values[i];
    }

    /** The value of {@code key}, not a copy, or null. */
    byte[] get(byte[] key) {
        int i = find(key, 0, key.length);
        return i >= 0 ? values[i] : null;
    }

    /** A page with the same LSN and entries, whose entries can change without changing this one's (values are shared, not copied). */
    Page copy() {
        Page c = new Page(no);
        c.lsn = lsn;
        c.keys = Arrays.copyOf(keys, keys.length);
        c.values = Arrays.copyOf(values, values.length);
        c.size = size;
        c.used = used;
        return c;
    }

    /** Whether putting {@code key = value} fits. */
    boolean fits(byte[] key, byte[] value, int pageSize) {
        byte[] old = get(key);
        int delta = entrySize(key, value) - (old == null ? 0 : entrySize(key, old));
        return used + delta <= pageSize;
    }

    /** Sets {@code key} to {@code value}, keeping both arrays (not copies). */
    void put(byte[] key, byte[] value) {
        int i = find(key, 0, key.length);
        if (i >= 0) {
            used += value.length - values[i].length;
            values[i] = value;
        } else {
            insert(-i - 1, key, value);
        }
    }

    /**
     * Sets the key at {@code src[keyOff .. keyOff+keyLen)} to {@code src[off .. off+len)}: in place
     * when the old value has that length (no new array), else as a copy; the key is copied only when
     * it is new. For redo, which owns its pages' values.
     */
    void overwrite(byte[] src, int keyOff, int keyLen, int off, int len) {
        int i = find(src, keyOff, keyOff + keyLen);
        if (i >= 0) {
            byte[] old = values[i];
            if (old.length == len) {
                System.arraycopy(src, off, old, 0, len);
            } else {
                used += len - old.length;
                values[i] = Arrays.copyOfRange(src, off, off + len);
            }
        } else {
            insert(-i - 1, Arrays.copyOfRange(src, keyOff, keyOff + keyLen), Arrays.copyOfRange(src, off, off + len));
        }
    }

    /** Removes {@code key} if present. */
    void delete(byte[] key) {
        delete(key, 0, key.length);
    }

    /** Removes the key at {@code src[from .. to)} if present. */
    void delete(byte[] src, int from, int to) {
        int i = find(src, from, to);
        if (i >= 0) {
            used -= entrySize(keys[i], values[i]);
            System.arraycopy(keys, i + 1, keys, i, size - i - 1);
            System.arraycopy(values, i + 1, values, i, size - i - 1);
            size--;
            keys[size] = null;
            values[size] = null;
        }
    }

    /** Binary search for the key at {@code src[from .. to)}: its index, or −(insertion point) − 1. */
    private int find(byte[] src, int from, int to) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            byte[] k = keys[mid];
            int c = Arrays.compareUnsigned(k, 0, k.length, src, from, to);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    private void insert(int at, byte[] key, byte[] value) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, 2 * size);
            values = Arrays.copyOf(values, 2 * size);
        }
        System.arraycopy(keys, at, keys, at + 1, size - at);
        System.arraycopy(values, at, values, at + 1, size - at);
        keys[at] = key;
        values[at] = value;
        size++;
        used += entrySize(key, value);
    }

    // region page-checksum
    byte[] encode(int pageSize) {
        byte[] b = new byte[pageSize];
        Format.putLong(b, 0, lsn);
        b[12] = (byte) size;
        b[13] = (byte) (size >>> 8);
        int at = HEADER;
        for (int i = 0; i < size; i++) {
            byte[] k = keys[i];
            byte[] v = values[i];
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
