package dev.deepcuts.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A small transactional key-value store, so that the log has something to protect: fixed-size
 * pages in one data file, each with its LSN and a checksum; a buffer pool that writes pages back
 * lazily; fuzzy checkpoints; full-page images against torn pages (switchable off, to show the
 * failure); transactions that commit or abort. Every committed transaction survives a crash.
 *
 * <p>Thread-safe: transactions may commit from many threads; their log flushes are shared (group
 * commit), their page changes serialized.
 */
public final class KvStore implements AutoCloseable {

    /*
     * How it works, and why this way.
     *
     * Keys are hashed to a fixed number of pages (a static hash file: simple, and enough to show
     * every part of write-ahead logging; a full page is an error, not a split). A transaction keeps
     * its writes to itself until it commits. Commit takes the store lock, and for each write: logs
     * an UPDATE record naming the page and the change, applies the change to the page in the
     * buffer pool, and stamps the page with the record's LSN; then logs COMMIT, releases the lock,
     * and waits for the log to be durable through COMMIT. An abort just drops the writes.
     *
     * That is "deferred update", or redo-only logging with no-steal: a page can only contain
     * changes whose COMMIT follows right behind them in the log (they are appended under one lock),
     * and a dirty page is written back only after the log is flushed to its end (the WAL rule, made
     * a little stronger), so no uncommitted change ever reaches the data file and recovery never
     * has to undo anything. The price: a transaction's writes must fit in memory, and there are no
     * long transactions that write as they go. ARIES [1] takes the other side (steal: uncommitted
     * pages may be written; so the log needs undo information and compensation records).
     *
     * Recovery reads the log from the redo point of the last completed checkpoint and, for each
     * committed transaction, redoes each UPDATE whose LSN is above the page's LSN (the page already
     * has the change otherwise). Records of a transaction whose COMMIT never made it are skipped.
     *
     * A page write can tear: a crash midway leaves half old, half new; the checksum catches it. With
     * full-page images on, the first change to a page after a checkpoint began logs the whole page,
     * so redo rebuilds a torn page from the log instead of from its damaged self — PostgreSQL's
     * full_page_writes [2]. InnoDB solves the same problem by writing pages twice (doublewrite).
     *
     * [1] C. Mohan et al., "ARIES: A Transaction Recovery Method...", ACM TODS 17(1), 1992.
     * [2] PostgreSQL documentation, "WAL Configuration" / full_page_writes,
     *     https://www.postgresql.org/docs/current/runtime-config-wal.html
     */

    /** Record types of the store's log. */
    static final int UPDATE = 1;
    static final int COMMIT = 2;
    static final int CHECKPOINT = 3;
    private static final int PUT = 1;
    private static final int DELETE = 2;
    private static final int IMAGE = 4;
    private static final String DATA = "data";
    private static final String CONTROL = "control";
    private static final int CONTROL_SIZE = 40;

    /**
     * @param pages          pages in the data file (a power of two); capacity is about pages × pageSize bytes of entries
     * @param pageSize       bytes per page: 512 to 65536, a power of two
     * @param bufferPages    pages the buffer pool keeps in memory
     * @param fullPageWrites log a full page image on the first change of a page after a checkpoint
     * @param wal            the log's configuration
     * @param clock          what stamps each COMMIT with a time (point-in-time recovery targets it)
     */
    public record Config(int pages, int pageSize, int bufferPages, boolean fullPageWrites, WalConfig wal, java.time.Clock clock) {
        public Config {
            if (pages < 1 || Integer.bitCount(pages) != 1) {
                throw new IllegalArgumentException("pages must be a power of two, got " + pages);
            }
            if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
                throw new IllegalArgumentException("pageSize must be a power of two in [512, 65536], got " + pageSize);
            }
            if (bufferPages < 2) {
                throw new IllegalArgumentException("bufferPages must be at least 2, got " + bufferPages);
            }
            if (clock == null) {
                throw new IllegalArgumentException("clock must not be null");
            }
            if (wal.maxPayload() < pageSize + 64) {
                throw new IllegalArgumentException("the log's segments (" + wal.segmentSize() + " bytes) are too small for "
                        + pageSize + "-byte page images");
            }
        }

        /** 1024 pages of 4 KiB, 256 in memory, full-page writes on, the log's defaults. */
        public static Config defaults() {
            return new Config(1024, 4096, 256, true, WalConfig.defaults(), java.time.Clock.systemUTC());
        }

        public Config withPages(int n) {
            return new Config(n, pageSize, bufferPages, fullPageWrites, wal, clock);
        }

        public Config withBufferPages(int n) {
            return new Config(pages, pageSize, n, fullPageWrites, wal, clock);
        }

        public Config withFullPageWrites(boolean on) {
            return new Config(pages, pageSize, bufferPages, on, wal, clock);
        }

        public Config withWal(WalConfig w) {
            return new Config(pages, pageSize, bufferPages, fullPageWrites, w, clock);
        }

        public Config withClock(java.time.Clock c) {
            return new Config(pages, pageSize, bufferPages, fullPageWrites, wal, c);
        }
    }

    /**
     * What recovery did.
     *
     * @param redoFrom      the checkpoint's redo LSN the log was read from
     * @param log           the log's own recovery (records, bytes, torn tail)
     * @param committed     committed transactions whose records were read
     * @param applied       UPDATE records applied to pages
     * @param skipped       UPDATE records already on their page (page LSN at or above the record's)
     * @param imagesUsed    pages rebuilt from full-page images
     * @param discarded     records of transactions without a COMMIT, ignored
     * @param nanos         time spent, from opening the log to the end of redo
     */
    public record RecoveryReport(long redoFrom, Recovery log, long committed, long applied, long skipped, long imagesUsed,
                                 long discarded, long nanos) {
    }

    private final Storage storage;
    private final Config config;
    private final ReentrantLock lock = new ReentrantLock();
    private final BufferPool pool;
    private final Storage.StorageFile data;
    private final List<Page> pinned = new ArrayList<>();   // pages of the commit in progress (guarded by lock)
    private volatile String failure;                       // set when a data-file write or sync failed: fail-stop
    private WriteAheadLog log;
    private long redoHorizon;           // pages with an LSN below it get a full image on their next change
    private volatile boolean backupInProgress;   // images forced on: the backup copies pages while they change
    private long nextTxid = 1;
    private RecoveryReport report;
    private boolean closed;

    private KvStore(Storage storage, Config config) throws IOException {
        this.storage = storage;
        this.config = config;
        this.pool = new BufferPool(config.pages());
        this.data = storage.open(DATA, true);
    }

    /**
     * Opens the store in {@code storage}, creating it if empty, and recovers it from its log.
     *
     * @throws CorruptPageException if a page is torn and the log holds no image to repair it
     * @throws WalCorruptedException if the log is damaged before its end
     */
    public static KvStore open(Storage storage, Config config) throws IOException {
        KvStore store = new KvStore(storage, config);
        store.recover();
        return store;
    }

    /** What recovery did when the store was opened. */
    public RecoveryReport recovery() {
        return report;
    }

    /** The log underneath (for observation: LSNs, flushes). */
    public WriteAheadLog log() {
        return log;
    }

    // ------------------------------------------------------------------ transactions

    /** Starts a transaction. */
    public Txn begin() {
        return new Txn();
    }

    /** A transaction: buffered writes, applied and logged at {@link #commit()}, dropped at {@link #abort()}. Not thread-safe. */
    public final class Txn {
        private final Map<ByteBuffer, byte[]> writes = new LinkedHashMap<>();
        private boolean done;
        private boolean aborted;

        private Txn() {
        }

        /** Sets {@code key} to {@code value} (keys and values up to 1024 bytes). */
        public Txn put(byte[] key, byte[] value) {
            check(key, "key");
            check(value, "value");
            writes.put(ByteBuffer.wrap(key.clone()), value.clone());
            return this;
        }

        /** Deletes {@code key}. */
        public Txn delete(byte[] key) {
            check(key, "key");
            writes.put(ByteBuffer.wrap(key.clone()), null);
            return this;
        }

        /** The value of {@code key} as this transaction sees it (its own writes first), or null. */
        public byte[] get(byte[] key) throws IOException {
            ByteBuffer k = ByteBuffer.wrap(key);
            if (writes.containsKey(k)) {
                byte[] v = writes.get(k);
                return v == null ? null : v.clone();
            }
            return KvStore.this.get(key);
        }

        /** Makes the writes durable and visible; returns the COMMIT record's LSN. */
        public long commit() throws IOException {
            if (done) {
                throw new IllegalStateException("transaction already " + (aborted ? "aborted" : "committed"));
            }
            done = true;
            return KvStore.this.commit(writes);
        }

        /** Drops the writes: nothing was logged, nothing to undo. */
        public void abort() {
            done = true;
            aborted = true;
            writes.clear();
        }

        private void check(byte[] b, String what) {
            if (done) {
                throw new IllegalStateException("transaction already finished");
            }
            if (b == null || b.length > 1024) {
                throw new IllegalArgumentException(what + " must be 0 to 1024 bytes, got "
                        + (b == null ? "null" : b.length + " bytes"));
            }
        }
    }

    /** The committed value of {@code key}, or null. */
    public byte[] get(byte[] key) throws IOException {
        lock.lock();
        try {
            checkOpen();
            byte[] v = fetch(pageOf(key)).get(key);
            return v == null ? null : v.clone();
        } finally {
            lock.unlock();
        }
    }

    private long commit(Map<ByteBuffer, byte[]> writes) throws IOException {
        if (writes.isEmpty()) {
            return log.durableLsn();
        }
        long commitLsn;
        lock.lock();
        try {
            checkOpen();
            checkRoom(writes);
            long txid = nextTxid++;
            // region commit
            for (Map.Entry<ByteBuffer, byte[]> w : writes.entrySet()) {
                byte[] key = w.getKey().array();
                byte[] value = w.getValue();
                Page page = fetch(pageOf(key));
                page.pinned = true;                              // no-steal: not written back before COMMIT
                pinned.add(page);
                boolean image = (config.fullPageWrites() || backupInProgress) && page.lsn < redoHorizon;  // first change since the checkpoint
                if (value == null) {
                    page.delete(key);
                } else {
                    page.put(key, value);
                }
                long lsn = log.append(UPDATE, update(txid, page.no, key, value, image ? page.encode(config.pageSize()) : null));
                page.lsn = lsn;
                if (!page.dirty) {
                    page.dirty = true;
                    page.recLsn = lsn;
                }
            }
            commitLsn = log.append(COMMIT, commitRecord(txid, config.clock().millis()));
            // endregion commit
        } finally {
            for (Page p : pinned) {
                p.pinned = false;
            }
            pinned.clear();
            lock.unlock();
        }
        log.commit(commitLsn);               // outside the lock: commits of other threads share the fsync
        return commitLsn;
    }

    /** Refuses a transaction that would overflow a page, before anything is logged. */
    private void checkRoom(Map<ByteBuffer, byte[]> writes) throws IOException {
        Map<Integer, Page> copies = new HashMap<>();
        for (Map.Entry<ByteBuffer, byte[]> w : writes.entrySet()) {
            byte[] key = w.getKey().array();
            int no = pageOf(key);
            Page copy = copies.get(no);
            if (copy == null) {
                copy = fetch(no).copy();                     // two array copies: the check never touches the real page
                copies.put(no, copy);
            }
            if (w.getValue() == null) {
                copy.delete(key);
            } else if (!copy.fits(key, w.getValue(), config.pageSize())) {
                throw new IllegalStateException("page " + no + " is full (" + copy.used + " of " + config.pageSize()
                        + " bytes used): the store holds about " + config.pages() + " pages of entries; open it with more pages");
            } else {
                copy.put(key, w.getValue());
            }
        }
    }

    // ------------------------------------------------------------------ pages

    private int pageOf(byte[] key) {
        long h = Arrays.hashCode(key) * 0x9E3779B97F4A7C15L;
        return (int) ((h ^ (h >>> 29)) & (config.pages() - 1));
    }

    /** The page {@code no}, from the pool or the data file; evicts (writing back if dirty) when the pool is full. */
    private Page fetch(int no) throws IOException {
        Page p = pool.get(no);                               // and now the most recently used
        if (p != null) {
            return p;
        }
        p = readPage(no);
        if (p == null) {
            throw new CorruptPageException(no, "page " + no + " of " + storage.describe() + " fails its checksum (a torn or"
                    + " damaged write) and nothing in the log since the last checkpoint can rebuild it");
        }
        admit(p);
        return p;
    }

    // region wal-rule
    private void admit(Page p) throws IOException {
        if (pool.size() >= config.bufferPages()) {
            Page victim = pool.leastRecentlyUsedUnpinned();
            if (victim == null) {                            // a commit touches more pages than the pool holds:
                pool.put(p);                                 // the pool grows for it rather than steal
                return;
            }
            if (victim.dirty) {
                if (log != null) {
                    log.flush();                             // the WAL rule: the log first, then the page
                }                                            // (in recovery, what is redone is on disk already)
                writePage(victim);
            }
            pool.remove(victim.no);
        }
        pool.put(p);
    }
    // endregion wal-rule

    /** Reads page {@code no} from the data file; null if it fails its checksum. */
    private Page readPage(int no) throws IOException {
        byte[] b = new byte[config.pageSize()];
        data.read((long) no * config.pageSize(), b, 0, b.length);
        return Page.decode(no, b);
    }

    private void writePage(Page p) throws IOException {
        try {
            data.write((long) p.no * config.pageSize(), p.encode(config.pageSize()), 0, config.pageSize());
        } catch (IOException e) {
            throw stop("writing page " + p.no, e);
        }
        p.dirty = false;
    }

    /**
     * Stops the store for good after a failed write or sync of the data file: the pages it wrote may
     * not be on disk, and the next checkpoint must not move the redo point past them (fsyncgate,
     * again). Restarting recovers from the last good checkpoint.
     */
    private IOException stop(String what, IOException e) {
        failure = "the store stopped: " + what + " in " + storage.describe() + " failed (" + e.getMessage()
                + "); nothing more is accepted and the next checkpoint will not pretend it succeeded: restart to recover";
        return new IOException(failure, e);
    }

    // ------------------------------------------------------------------ checkpoints

    /**
     * A fuzzy checkpoint: notes the log's end as the new redo point, writes every page dirty at
     * that moment (the log flushed first), syncs the data file, then records the redo point in the
     * control file and lets the log recycle what lies before it. Commits go on meanwhile. Returns
     * the redo point.
     */
    public long checkpoint() throws IOException {
        long horizon;
        List<Page> dirty = new ArrayList<>();
        lock.lock();
        try {
            checkOpen();
            horizon = log.endLsn();
            redoHorizon = horizon;                           // from now on, first changes log full images
            log.append(CHECKPOINT, txid(horizon));
            for (Page p : pool.leastRecentlyUsedFirst()) {
                if (p.dirty) {
                    dirty.add(p);
                }
            }
        } finally {
            lock.unlock();
        }
        log.flush();
        // region checkpoint
        for (Page p : dirty) {
            lock.lock();
            try {
                if (p.dirty && !p.pinned && pool.peek(p.no) == p) {
                    if (p.lsn >= log.durableLsn()) {
                        log.flush();                         // changed since the flush above: the WAL rule again
                    }
                    writePage(p);                            // one page at a time: commits slip in between
                }
            } finally {
                lock.unlock();
            }
        }
        try {
            data.sync();
        } catch (IOException e) {
            throw stop("syncing the data file", e);
        }
        writeControl(storage, horizon, nextTxid, 0);         // the checkpoint counts only once this is durable
        log.releaseBefore(horizon);
        // endregion checkpoint
        return horizon;
    }

    /** The control file: where recovery starts, the next transaction id, and for a backup the LSN its replay must reach. */
    private static void writeControl(Storage storage, long redo, long nextTxid, long backupEnd) throws IOException {
        byte[] b = new byte[CONTROL_SIZE];
        b[0] = 'D';
        b[1] = 'C';
        b[2] = 'K';
        b[3] = 'V';
        Format.putLong(b, 8, redo);
        Format.putLong(b, 16, nextTxid);
        Format.putLong(b, 24, backupEnd);
        Format.putInt(b, 36, Format.crc(b, 0, 36));
        String tmp = CONTROL + ".tmp";
        try (Storage.StorageFile f = storage.open(tmp, true)) {
            f.write(0, b, 0, b.length);
            f.sync();
        }
        storage.rename(tmp, CONTROL);                        // atomic replace, durable with the directory
        storage.syncDirectory();
    }

    /** {redo LSN, next transaction id, backup end LSN} of the last checkpoint, or {0, 1, 0} for a new store. */
    private static long[] readControl(Storage storage) throws IOException {
        if (!storage.exists(CONTROL)) {
            return new long[] {0, 1, 0};
        }
        byte[] b = new byte[CONTROL_SIZE];
        int n;
        try (Storage.StorageFile f = storage.open(CONTROL, false)) {
            n = f.read(0, b, 0, b.length);
        }
        if (n != CONTROL_SIZE || b[0] != 'D' || b[1] != 'C' || b[2] != 'K' || b[3] != 'V' || Format.getInt(b, 36) != Format.crc(b, 0, 36)) {
            throw new IOException("the control file of " + storage.describe() + " is damaged (" + n + " bytes, checksum "
                    + "mismatch): the redo point is unknown, refusing to guess");
        }
        return new long[] {Format.getLong(b, 8), Format.getLong(b, 16), Format.getLong(b, 24)};
    }

    // ------------------------------------------------------------------ backup and point-in-time recovery

    /**
     * Takes a base backup into {@code target} while the store keeps working: a checkpoint, then a
     * copy of the data file page by page with no lock held (pages may change under the copy: the
     * full-page images forced on meanwhile repair them at restore), then a control file naming the
     * checkpoint's redo point and the LSN the copy ended at. Restoring needs this backup plus the
     * archived log from its redo point on ({@link WriteAheadLog#archiveTo}). Returns the end LSN.
     */
    // region backup
    public long backup(Storage target) throws IOException {
        backupInProgress = true;                             // every first change logs a whole page
        try {
            long redo = checkpoint();
            byte[] page = new byte[config.pageSize()];
            try (Storage.StorageFile out = target.open(DATA, true)) {
                long size = data.size();
                for (long at = 0; at < size; at += page.length) {
                    java.util.Arrays.fill(page, (byte) 0);
                    data.read(at, page, 0, page.length);     // fuzzy: no lock, the page may be mid-change
                    out.write(at, page, 0, page.length);
                }
                out.sync();
            }
            log.flush();
            long end = log.durableLsn();
            writeControl(target, redo, nextTxid, end);
            return end;
        } finally {
            backupInProgress = false;
        }
    }
    // endregion backup

    /** Where point-in-time recovery stops, and what it found. */
    public record RestoreReport(long stopLsn, long lastTxid, java.time.Instant lastCommitTime, long commitsAfterBackup,
                                long segmentsCopied, RecoveryReport recovery) {
    }

    /**
     * Point-in-time recovery: builds in {@code target} the store as it was just before
     * {@code before} — the base backup from {@code backup}, then the archived log from
     * {@code archive} replayed through the last transaction that committed before that time; the
     * log after it is cut off, so the restored store goes on from there. Its later transactions are
     * lost with the mistake: that is the trade.
     *
     * @throws IOException if the target lies before the end of the backup (the copy would be
     *         inconsistent there), or the archive lacks a segment
     */
    public static RestoreReport restore(Storage backup, Storage archive, Storage target, Config config, java.time.Instant before)
            throws IOException {
        long[] control = readControl(backup);
        long redo = control[0];
        long backupEnd = control[2];
        if (!backup.exists(CONTROL) || backupEnd == 0) {
            throw new IOException(backup.describe() + " is not a base backup (no control file with a backup end)");
        }
        copy(backup, target, DATA, config.pageSize());
        copy(backup, target, CONTROL, 64);
        int size = config.wal().segmentSize();
        long copied = 0;
        for (String name : archive.list()) {
            long seg = Format.segmentOf(name);
            if (seg >= redo / size) {
                copy(archive, target, name, size);
                copied++;
            }
        }
        // region pitr-stop
        long cutoff = before.toEpochMilli();
        long[] stop = {-1, 0, 0, 0};       // stop LSN, last txid, its time, commits
        boolean[] afterGood = {true};
        boolean[] done = {false};
        long end = WriteAheadLog.read(target, size, redo, (lsn, type, d, off, len) -> {
            if (done[0]) {
                return;
            }
            if (afterGood[0]) {
                stop[0] = lsn;                               // the first record after the last commit kept
                afterGood[0] = false;
            }
            if (type == COMMIT) {
                long millis = Format.getLong(d, off + 8);
                if (millis < cutoff) {
                    stop[1] = Format.getLong(d, off);
                    stop[2] = millis;
                    stop[3]++;
                    afterGood[0] = true;
                } else {
                    done[0] = true;                          // the first commit at or after the target: stop before its records
                }
            }
        });
        long stopLsn = afterGood[0] || stop[0] < 0 ? end : stop[0];
        // endregion pitr-stop
        if (stopLsn < backupEnd) {
            throw new IOException("the target " + before + " lies before the end of the backup (LSN " + WalDump.lsn(backupEnd)
                    + "): the copied pages may hold changes made after it; use an older backup");
        }
        WriteAheadLog.truncate(target, size, stopLsn);
        try (KvStore restored = open(target, config)) {
            return new RestoreReport(stopLsn, stop[1], java.time.Instant.ofEpochMilli(stop[2]), stop[3], copied, restored.recovery());
        }
    }

    private static void copy(Storage from, Storage to, String name, int chunk) throws IOException {
        try (Storage.StorageFile in = from.open(name, false); Storage.StorageFile out = to.open(name, true)) {
            byte[] b = new byte[Math.max(chunk, 1 << 16)];
            long size = in.size();
            for (long at = 0; at < size; at += b.length) {
                int n = in.read(at, b, 0, (int) Math.min(b.length, size - at));
                out.write(at, b, 0, n);
            }
            out.sync();
        }
        to.syncDirectory();
    }

    // ------------------------------------------------------------------ recovery

    private void recover() throws IOException {
        long t0 = System.nanoTime();
        long[] control = readControl(storage);
        long redo = control[0];
        nextTxid = control[1];
        long[] counts = new long[6]; // committed, applied, skipped, images, discarded
        Pending pending = new Pending();
        IOException[] failure = {null};
        // region redo
        log = WriteAheadLog.open(storage, config.wal(), redo, (lsn, type, buf, off, len) -> {
            if (failure[0] != null) {
                return;
            }
            switch (type) {
                case UPDATE -> {
                    long txid = Format.getLong(buf, off + 1);
                    if (txid != pending.txid) {
                        counts[4] += pending.n;              // a transaction that never committed
                        pending.reset(txid);
                    }
                    pending.add(lsn, buf, off, len);         // held until its COMMIT shows up
                }
                case COMMIT -> {
                    long txid = Format.getLong(buf, off);
                    if (txid == pending.txid) {
                        try {
                            for (int i = 0; i < pending.n; i++) {
                                redo(pending.lsns[i], pending.bytes, pending.offsets[i], counts);
                            }
                        } catch (IOException e) {
                            failure[0] = e;
                        }
                        counts[0]++;
                    }
                    nextTxid = Math.max(nextTxid, txid + 1);
                    pending.reset(-1);
                }
                default -> { }                               // checkpoint markers: nothing to redo
            }
        });
        // endregion redo
        if (failure[0] != null) {
            log.close();
            throw failure[0];
        }
        counts[4] += pending.n;
        report = new RecoveryReport(redo, log.recovery(), counts[0], counts[1], counts[2], counts[3], counts[4], System.nanoTime() - t0);
        checkpoint();                                        // the end-of-recovery checkpoint
    }

    /** The UPDATE records of the transaction being read, copied out of the log's buffer into one array. */
    private static final class Pending {
        long txid = -1;
        byte[] bytes = new byte[1 << 16];
        int[] offsets = new int[64];
        long[] lsns = new long[64];
        int n;
        int used;

        void reset(long id) {
            txid = id;
            n = 0;
            used = 0;
        }

        void add(long lsn, byte[] buf, int off, int len) {
            if (used + len > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(used + len, 2 * bytes.length));
            }
            if (n == offsets.length) {
                offsets = Arrays.copyOf(offsets, 2 * n);
                lsns = Arrays.copyOf(lsns, 2 * n);
            }
            System.arraycopy(buf, off, bytes, used, len);
            offsets[n] = used;
            lsns[n] = lsn;
            n++;
            used += len;
        }
    }

    /** Redoes the UPDATE record at {@code r[o..]} with LSN {@code lsn}, unless its page already has it. */
    private void redo(long lsn, byte[] r, int o, long[] counts) throws IOException {
        int flags = r[o];
        int no = Format.getInt(r, o + 9);
        int kl = (r[o + 13] & 0xff) | (r[o + 14] & 0xff) << 8;
        int vl = Format.getInt(r, o + 15 + kl);
        Page page = pool.get(no);                            // an array slot and four pointer writes
        if ((flags & IMAGE) != 0) {
            // a full image: the page is rebuilt from the log, whatever (torn or stale) is on disk
            Page img = Page.decode(no, Arrays.copyOfRange(r, o + 19 + kl + vl, o + 19 + kl + vl + config.pageSize()));
            if (page != null) {
                pool.remove(no);
            }
            page = img;
            admit(page);
            counts[3]++;
        } else {
            if (page == null) {
                page = readPage(no);
                if (page == null) {
                    throw new CorruptPageException(no, "page " + no + " is torn (its checksum fails) and the log since the"
                            + " checkpoint holds no full image of it (full-page writes off?): it cannot be recovered");
                }
                admit(page);
            }
            if (page.lsn >= lsn) {
                counts[2]++;
                return;
            }
            if ((flags & PUT) != 0) {
                page.overwrite(r, o + 15, kl, o + 19 + kl, vl);    // the key compared in place; the value in place when its length is unchanged
            } else {
                page.delete(r, o + 15, o + 15 + kl);
            }
        }
        page.lsn = lsn;
        if (!page.dirty) {
            page.dirty = true;
            page.recLsn = lsn;
        }
        counts[1]++;
    }

    /**
     * The pages in memory: found by page number in an array, and kept in least-recently-used order
     * on a list threaded through the pages themselves. Both a lookup and "now the most recently
     * used" are a few array and pointer operations, where the {@code LinkedHashMap<Integer, Page>}
     * this replaces hashed a boxed page number on every lookup (redo does one per record). The
     * array costs one reference per page of the data file. Not thread-safe: the store's lock guards it.
     */
    static final class BufferPool {
        private final Page[] byNo;
        private final Page lru = new Page(-1);               // sentinel: lru.next is the least recently used
        private int size;

        BufferPool(int pages) {
            byNo = new Page[pages];
            lru.prev = lru;
            lru.next = lru;
        }

        /** Page {@code no} if in memory, now the most recently used; else null. */
        Page get(int no) {
            Page p = byNo[no];
            if (p != null && p.next != lru) {
                unlink(p);
                linkLast(p);
            }
            return p;
        }

        /** Page {@code no} if in memory, its place in the order unchanged; else null. */
        Page peek(int no) {
            return byNo[no];
        }

        /** Adds {@code p} as the most recently used, replacing a page of the same number. */
        void put(Page p) {
            remove(p.no);
            byNo[p.no] = p;
            linkLast(p);
            size++;
        }

        /** Drops page {@code no} if in memory. */
        void remove(int no) {
            Page p = byNo[no];
            if (p != null) {
                unlink(p);
                byNo[no] = null;
                size--;
            }
        }

        int size() {
            return size;
        }

        /** The least recently used page that no commit has pinned, or null: the eviction victim. */
        Page leastRecentlyUsedUnpinned() {
            for (Page p = lru.next; p != lru; p = p.next) {
                if (!p.pinned) {
                    return p;
                }
            }
            return null;
        }

        /** The pages, least recently used first: a snapshot, so the caller may change the pool while it walks it. */
        List<Page> leastRecentlyUsedFirst() {
            List<Page> pages = new ArrayList<>(size);
            for (Page p = lru.next; p != lru; p = p.next) {
                pages.add(p);
            }
            return pages;
        }

        private void linkLast(Page p) {
            p.prev = lru.prev;
            p.next = lru;
            lru.prev.next = p;
            lru.prev = p;
        }

        private static void unlink(Page p) {
            p.prev.next = p.next;
            p.next.prev = p.prev;
            p.prev = null;
            p.next = null;
        }
    }

    // ------------------------------------------------------------------ records

    /** UPDATE: flags, txid, page, key length, key, value length, value, then the page image if flagged. */
    private static byte[] update(long txid, int page, byte[] key, byte[] value, byte[] image) {
        int vl = value == null ? 0 : value.length;
        byte[] r = new byte[19 + key.length + vl + (image == null ? 0 : image.length)];
        r[0] = (byte) ((value == null ? DELETE : PUT) | (image == null ? 0 : IMAGE));
        Format.putLong(r, 1, txid);
        Format.putInt(r, 9, page);
        r[13] = (byte) key.length;
        r[14] = (byte) (key.length >>> 8);
        System.arraycopy(key, 0, r, 15, key.length);
        Format.putInt(r, 15 + key.length, vl);
        if (value != null) {
            System.arraycopy(value, 0, r, 19 + key.length, vl);
        }
        if (image != null) {
            System.arraycopy(image, 0, r, 19 + key.length + vl, image.length);
        }
        return r;
    }

    private static byte[] commitRecord(long txid, long millis) {
        byte[] b = new byte[16];
        Format.putLong(b, 0, txid);
        Format.putLong(b, 8, millis);
        return b;
    }

    private static byte[] txid(long v) {
        byte[] b = new byte[8];
        Format.putLong(b, 0, v);
        return b;
    }

    /** A one-line description of a record of this store's log, for the inspector. */
    static String describe(int type, byte[] r, int off, int len) {
        return switch (type) {
            case UPDATE -> {
                int flags = r[off];
                int kl = (r[off + 13] & 0xff) | (r[off + 14] & 0xff) << 8;
                int vl = Format.getInt(r, off + 15 + kl);
                String key = printable(r, off + 15, kl);
                yield String.format("tx %d page %d %s %s%s%s", Format.getLong(r, off + 1), Format.getInt(r, off + 9),
                        (flags & PUT) != 0 ? "PUT" : "DELETE", key,
                        (flags & PUT) != 0 ? " = " + printable(r, off + 19 + kl, vl) : "",
                        (flags & IMAGE) != 0 ? " +FPI" : "");
            }
            case COMMIT -> "tx " + Format.getLong(r, off) + " COMMIT at " + java.time.Instant.ofEpochMilli(Format.getLong(r, off + 8));
            case CHECKPOINT -> "CHECKPOINT redo " + WalDump.lsn(Format.getLong(r, off));
            default -> "unknown type " + type + ", " + len + " bytes";
        };
    }

    private static String printable(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < Math.min(len, 24); i++) {
            int c = b[off + i] & 0xff;
            sb.append(c >= 32 && c < 127 ? (char) c : '.');
        }
        return sb.append(len > 24 ? "…'" : "'").toString();
    }

    /**
     * The pages of the store in {@code storage} whose checksum fails, read straight from the data
     * file (what a torn write leaves): a diagnostic, like PostgreSQL's pg_checksums. Opens nothing else.
     */
    public static List<Integer> tornPages(Storage storage, Config config) throws IOException {
        List<Integer> torn = new ArrayList<>();
        if (!storage.exists(DATA)) {
            return torn;
        }
        try (Storage.StorageFile f = storage.open(DATA, false)) {
            byte[] b = new byte[config.pageSize()];
            long pages = Math.min(config.pages(), (f.size() + config.pageSize() - 1) / config.pageSize());
            for (int no = 0; no < pages; no++) {
                Arrays.fill(b, (byte) 0);
                f.read((long) no * config.pageSize(), b, 0, b.length);
                if (Page.decode(no, b) == null) {
                    torn.add(no);
                }
            }
        }
        return torn;
    }

    // ------------------------------------------------------------------ closing

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /**
     * Closes the files without a checkpoint and without flushing what is not yet durable, as a
     * killed process would leave them: the next {@link #open} has to recover. For labs and tests.
     */
    public void closeAbruptly() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        log.abandon();
        data.close();
    }

    /** Checkpoints (unless the log failed) and closes. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if (log.failure() == null && failure == null) {
                checkpoint();
            }
        } finally {
            closed = true;
            log.close();
            data.close();
        }
    }
}
