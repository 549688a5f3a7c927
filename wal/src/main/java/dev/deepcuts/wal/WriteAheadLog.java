package dev.deepcuts.wal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A write-ahead log: append records, then {@link #commit} to wait until they are durable. Records
 * get an LSN, their byte address in the log; the log is stored as fixed-size, preallocated segment
 * files, checked record by record with CRC32C, and recovered on {@link #open}: a torn or unfinished
 * tail is cut off at the last valid record, while damage before the end stops recovery with the
 * segment and offset rather than silently dropping acknowledged records.
 *
 * <p>Thread-safe: any number of threads may append and commit; with {@link Durability#GROUP} their
 * commits share fsyncs.
 */
public final class WriteAheadLog implements AutoCloseable {

    /*
     * How it works.
     *
     * Appending copies the record into an in-memory buffer under a lock: the LSN is the buffer's
     * end, so records are ordered by the order appenders took the lock. Nothing touches the disk
     * until somebody commits. A committer whose LSN is not yet durable either finds a flush in
     * progress and waits for it, or becomes the leader: it takes the whole buffer (everyone's
     * records so far), hands appenders a fresh one, releases the lock, writes the batch to its
     * segment file(s) and fsyncs once. When it is done, every committer whose LSN the flush covered
     * returns; the first one still not covered leads the next flush. No timer decides when to
     * flush: the fsync itself is the batching window, so under load batches grow by themselves
     * and an idle log pays no added latency [1].
     *
     * The leader seals each record of its batch: it writes into the header the distance back to
     * the start of the batch, and the checksum. Batches are written and synced strictly one after
     * another, so after a crash, a damaged record followed by an intact record of a LATER batch
     * cannot be a torn write (that later batch was only written after the damaged one was synced):
     * it is corruption, and recovery refuses to go on. A damaged record followed only by records
     * of its own batch, or by nothing, is the torn tail of a flush that never completed: recovery
     * cuts it off and zeroes it, so that no stale bytes can ever pass for records later.
     *
     * Segments are prepared (created or recycled, filled with zeros, headed, synced, their
     * directory synced) by a thread of their own, one segment ahead: the first flush past the middle
     * of a segment asks for the next one, so the flusher only ever takes a file that is ready, and
     * a commit never waits for zeros to be written unless the log outruns its preparer. (On a
     * storage that must be called from the caller's threads only, the simulated disk, that flush
     * prepares the next segment itself.)
     *
     * A failed write or fsync stops the log for good (fail-stop): after a failed fsync Linux may
     * have marked the dirty pages clean, so retrying "succeeds" without making anything durable;
     * PostgreSQL learned this in 2018 and now panics instead [2]. A failed preparation stops it too.
     *
     * [1] PostgreSQL, src/backend/access/transam/xlog.c, XLogFlush (commit_delay is off by default)
     * [2] PostgreSQL wiki, "Fsync Errors", https://wiki.postgresql.org/wiki/Fsync_Errors
     */

    /** A sync this log leaves out on purpose, so that tests can show crash enumeration catching it. */
    enum Omit { NOTHING, SEGMENT_SYNC, DIRECTORY_SYNC }

    /** For tests only: which sync every log opened from now on leaves out. */
    static volatile Omit omitForTests = Omit.NOTHING;

    private final Storage storage;
    private final WalConfig config;
    private final int size;
    private final Recovery recovery;
    private final Omit omit = omitForTests;
    private final long maxPending;       // bytes appended but not yet handed to a flush, at most

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition flushDone = lock.newCondition();
    private byte[] buffer = new byte[1 << 16];
    private byte[] spare = new byte[1 << 16];
    private long bufferStart;            // LSN of buffer[0]: the first byte not yet handed to a flush
    private long insert;                 // LSN where the next record goes
    private volatile long durable;       // everything before this LSN is on disk and synced
    private boolean flushing;
    private Throwable failure;
    private String failureMessage;
    private boolean closed;

    private final Map<Long, Storage.StorageFile> files = new HashMap<>();
    private volatile Storage archive;     // where completed segments are copied, or null
    private long archiveNext = -1;        // the first segment not yet archived
    // segment preparation, guarded by prepLock (taken after lock, never before it: a SYNC_EACH flush
    // holds lock while it waits for a segment, so the preparer must get by without lock)
    private final ReentrantLock prepLock = new ReentrantLock();
    private final Condition preparation = prepLock.newCondition();
    private final Deque<String> spares = new ArrayDeque<>();      // recycled segment files
    private final Deque<Long> toPrepare = new ArrayDeque<>();     // segments asked of the preparer
    private final Map<Long, Storage.StorageFile> prepared = new HashMap<>();   // ready, not yet taken
    private long preparing = -1;                                   // the segment being prepared
    private String preparationFailure;                             // why the preparer stopped, or null
    private boolean stopPreparing;
    private final Thread preparer;                                 // null on a single-threaded storage
    private long flushes;
    private long flushedRecords;
    private long appended;
    private final Thread asyncFlusher;

    private WriteAheadLog(Storage storage, WalConfig config, Recovery recovery) {
        this.storage = storage;
        this.config = config;
        this.size = config.segmentSize();
        this.recovery = recovery;
        this.insert = recovery.end();
        this.bufferStart = recovery.end();
        this.durable = recovery.end();
        this.maxPending = Math.min(4L * size, 1L << 30);
        if (config.durability() == Durability.ASYNC) {
            asyncFlusher = Thread.ofPlatform().daemon().name("wal-async-flusher").start(this::asyncLoop);
        } else {
            asyncFlusher = null;
        }
        if (storage.singleThreaded()) {
            preparer = null;
        } else {
            toPrepare.add(insert / size);                            // the segment the next record goes to
            preparer = Thread.ofPlatform().daemon().name("wal-segment-preparer").start(this::prepareLoop);
        }
    }

    /**
     * Opens (or creates) the log in {@code storage} and recovers it: reads every record from
     * {@code from} (the redo point of the caller's last checkpoint; 0 for "from the oldest segment
     * there is") to the end, handing each to {@code redo}, then cuts off any torn tail.
     *
     * @throws WalCorruptedException if an acknowledged part of the log is damaged
     */
    public static WriteAheadLog open(Storage storage, WalConfig config, long from, RecordHandler redo) throws IOException {
        if (from < 0) {
            throw new IllegalArgumentException("from must be a non-negative LSN, got " + from);
        }
        java.util.Objects.requireNonNull(redo, "redo");
        try (LogScanner scanner = new LogScanner(storage, config.segmentSize())) {
            long start = from;
            if (from == 0) {
                start = Format.oldestSegmentStart(storage, config.segmentSize());
            }
            start = scanner.firstRecordAtOrAfter(start);
            LogScanner.Stop stop = scanner.scan(start, redo);
            // region refuse-corruption
            String later = scanner.laterFlush(stop.end());
            if (later != null) {
                throw new WalCorruptedException(Format.segmentName(stop.end() / config.segmentSize()),
                        stop.end() % config.segmentSize(),
                        "log corrupted at " + scanner.describe(stop.end()) + ": the record there is unreadable, yet there is "
                                + later + ", so it had been synced; refusing to start rather than drop acknowledged records");
            }
            boolean torn = cutTail(storage, config.segmentSize(), stop.end());
            // endregion refuse-corruption
            // what was read may have been written but never synced (a process killed mid-flush): make it
            // durable before anything is appended after it, or a later power loss could leave a hole
            for (long seg = start / config.segmentSize(); seg <= stop.end() / config.segmentSize(); seg++) {
                String name = Format.segmentName(seg);
                if (storage.exists(name)) {
                    try (Storage.StorageFile f = storage.open(name, false)) {
                        f.sync();
                    }
                }
            }
            Recovery r = new Recovery(start, stop.end(), stop.records(), stop.end() - start, torn,
                    torn ? stop.reason() + ": torn tail cut off" : "clean end: " + stop.reason());
            return new WriteAheadLog(storage, config, r);
        }
    }

    /**
     * Zeroes everything after {@code end} in its segment and deletes later segments holding anything
     * but a fresh header. True if there was anything to cut (a torn or unfinished tail).
     */
    private static boolean cutTail(Storage storage, int size, long end) throws IOException {
        boolean any = false;
        long seg = end / size;
        String name = Format.segmentName(seg);
        if (storage.exists(name)) {
            try (Storage.StorageFile f = storage.open(name, false)) {
                int off = (int) (end % size);
                byte[] rest = new byte[size - off];
                int n = f.read(off, rest, 0, rest.length);
                boolean dirty = false;
                for (int i = 0; i < n && !dirty; i++) {
                    dirty = rest[i] != 0;
                }
                if (dirty) {
                    f.write(off, new byte[size - off], 0, size - off);
                    f.sync();
                    any = true;
                }
            }
        }
        // region cut-tail
        // later segments can only hold records of flushes that never completed (or nothing, if they were
        // just prepared ahead); a header rewrite would not be enough (their records carry their own
        // LSNs and would pass for new ones once new records reach them), so any with data goes
        boolean deleted = false;
        for (String other : storage.list()) {
            long s = Format.segmentOf(other);
            if (s > seg) {
                boolean empty;
                try (Storage.StorageFile f = storage.open(other, false)) {
                    byte[] body = new byte[size];
                    int n = f.read(0, body, 0, size);
                    empty = Format.validSegmentHeader(body, 0, size, s * size);
                    for (int i = Format.SEGMENT_HEADER; i < n && empty; i++) {
                        empty = body[i] == 0;
                    }
                }
                if (!empty) {
                    storage.delete(other);
                    deleted = true;
                }
            }
        }
        if (deleted) {
            storage.syncDirectory();
            any = true;
        }
        // endregion cut-tail
        return any;
    }

    /** What {@link #open} found. */
    public Recovery recovery() {
        return recovery;
    }

    /** The configuration. */
    public WalConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ appending

    /**
     * Appends a record of {@code type} (1..255) with {@code payload}; returns its LSN. Not durable
     * until {@link #commit} of this LSN (or a later one) returns.
     *
     * @throws WalFailedException if the log has failed
     * @throws IllegalArgumentException for a bad type or a payload larger than {@link WalConfig#maxPayload()}
     */
    public long append(int type, byte[] payload) {
        return append(type, payload, 0, payload.length);
    }

    /** {@link #append(int, byte[])} for {@code payload[offset .. offset+length)}. */
    public long append(int type, byte[] payload, int offset, int length) {
        if (type < 1 || type > 255) {
            throw new IllegalArgumentException("record type must be in [1, 255], got " + type);
        }
        if (length > config.maxPayload()) {
            throw new IllegalArgumentException("payload of " + length + " bytes exceeds the maximum of " + config.maxPayload()
                    + " for " + size + "-byte segments");
        }
        lock.lock();
        try {
            checkUsable();
            // back-pressure: when flushes cannot keep up (async mode, or appends without commits), the
            // buffer stops growing at a few segments and appenders wait for, or do, a flush
            while (insert - bufferStart > maxPending) {
                if (!flushing) {
                    lead();
                } else {
                    flushDone.awaitUninterruptibly();
                }
                checkUsable();
            }
            // region append
            int recordLength = Format.RECORD_HEADER + length;
            long pos = insert;
            int room = size - (int) (pos % size);
            if (room < recordLength) {                          // does not fit: continue in the next segment
                ensure(pos + Format.RECORD_HEADER);
                int at = (int) (pos - bufferStart);
                Format.putInt(buffer, at, Format.RECORD_HEADER); // a switch marker, sealed by the flusher
                Format.putLong(buffer, at + 8, pos);
                buffer[at + 20] = Format.SWITCH;
                pos = (pos / size + 1) * size + Format.SEGMENT_HEADER;
            }
            ensure(pos + recordLength);
            int at = (int) (pos - bufferStart);
            Format.putInt(buffer, at, recordLength);
            Format.putLong(buffer, at + 8, pos);
            buffer[at + 20] = (byte) type;
            System.arraycopy(payload, offset, buffer, at + Format.RECORD_HEADER, length);
            insert = pos + Format.align8(recordLength);
            if (insert % size == 0) {
                insert += Format.SEGMENT_HEADER;
            }
            appended++;
            return pos;
            // endregion append
        } finally {
            lock.unlock();
        }
    }

    /** Makes room in the buffer up to LSN {@code end}. */
    private void ensure(long end) {
        long need = end - bufferStart;
        if (need > buffer.length) {
            long grown = Math.min(Math.max(need, 2L * buffer.length), Integer.MAX_VALUE - 16);
            if (need > grown) {
                throw new IllegalStateException("the log's buffer would exceed 2 GiB (" + need + " bytes pending)");
            }
            buffer = Arrays.copyOf(buffer, (int) grown);
        }
    }

    // ------------------------------------------------------------------ committing

    /**
     * Returns once the record at {@code lsn} (and everything before it) is durable — or at once in
     * {@link Durability#ASYNC} mode, where it becomes durable within the flush interval.
     *
     * @throws WalFailedException if the log failed before the record was durable
     */
    public void commit(long lsn) {
        if (config.durability() == Durability.ASYNC) {
            lock.lock();
            try {
                checkUsable();
            } finally {
                lock.unlock();
            }
            return;
        }
        lock.lock();
        try {
            // region group-commit
            while (durable <= lsn) {
                checkUsable();
                if (config.durability() == Durability.SYNC_EACH) {
                    flushHoldingTheLock();                  // appenders wait: one commit per fsync
                } else if (!flushing) {
                    lead();                                 // nobody is flushing: flush everyone's records
                } else {
                    flushDone.awaitUninterruptibly();       // a flush is under way: it may cover us
                }
            }
            // endregion group-commit
        } finally {
            lock.unlock();
        }
    }

    /** Flushes and syncs everything appended so far; returns once it is durable. */
    public void flush() {
        long target;
        lock.lock();
        try {
            target = insert - 1;
        } finally {
            lock.unlock();
        }
        if (config.durability() == Durability.ASYNC) {
            lock.lock();
            try {
                while (durable <= target) {
                    checkUsable();
                    if (!flushing) {
                        lead();
                    } else {
                        flushDone.awaitUninterruptibly();
                    }
                }
            } finally {
                lock.unlock();
            }
        } else {
            commit(target);
        }
    }

    // region lead
    /** Called with the lock held: takes the buffer, flushes it without the lock, takes the lock back. */
    private void lead() {
        flushing = true;
        byte[] batch = buffer;
        long start = bufferStart;
        long end = insert;
        int records = (int) (appended - flushedRecords);
        buffer = spare.length >= batch.length ? spare : new byte[batch.length];
        spare = null;
        bufferStart = end;
        lock.unlock();
        Throwable error = null;
        try {
            writeBatch(batch, start, end);
        } catch (IOException | RuntimeException e) {
            error = e;
        } finally {
            lock.lock();
        }
        finishFlush(batch, start, end, records, error);
    }
    // endregion lead

    private void flushHoldingTheLock() {
        byte[] batch = buffer;
        long start = bufferStart;
        long end = insert;
        int records = (int) (appended - flushedRecords);
        flushing = true;
        Throwable error = null;
        try {
            writeBatch(batch, start, end);
        } catch (IOException | RuntimeException e) {
            error = e;
        }
        buffer = spare;
        spare = null;
        bufferStart = end;
        finishFlush(batch, start, end, records, error);
    }

    // region fail-stop
    private void finishFlush(byte[] batch, long start, long end, int records, Throwable error) {
        Arrays.fill(batch, 0, (int) (end - start), (byte) 0);  // gaps must read as zeros when reused
        spare = batch;
        if (error != null) {
            failure = error;
            failureMessage = "the log failed while flushing LSN " + start + ".." + end + " to " + storage.describe() + ": "
                    + error.getMessage() + "; it accepts nothing more and never retries a failed fsync: restart to recover";
        } else {
            durable = end;
            flushes++;
            flushedRecords += records;
        }
        flushing = false;
        flushDone.signalAll();
    }
    // endregion fail-stop

    private void checkUsable() {
        if (failure != null) {
            throw new WalFailedException(failureMessage, failure);
        }
        if (closed) {
            throw new IllegalStateException("the log is closed");
        }
    }

    // ------------------------------------------------------------------ writing

    /** Seals the records of {@code batch} (LSNs {@code start..end}), writes them to their segments and syncs. */
    private void writeBatch(byte[] batch, long start, long end) throws IOException {
        if (start == end) {
            return;
        }
        long pos = start;
        while (pos < end) {
            int off = (int) (pos % size);
            if (off < Format.SEGMENT_HEADER) {
                pos += Format.SEGMENT_HEADER - off;
                continue;
            }
            if (size - off < Format.RECORD_HEADER) {
                pos = (pos / size + 1) * size + Format.SEGMENT_HEADER;
                continue;
            }
            int at = (int) (pos - start);
            int length = Format.getInt(batch, at);
            Format.seal(batch, at, (int) (pos - start));
            if (batch[at + 20] == Format.SWITCH) {
                pos = (pos / size + 1) * size + Format.SEGMENT_HEADER;
            } else {
                pos += Format.align8(length);
            }
        }
        // region write-batch
        long first = start / size;
        long last = (end - 1) / size;
        for (long seg = first; seg <= last; seg++) {
            long segStart = seg * size;
            long a = Math.max(start, segStart + Format.SEGMENT_HEADER);
            long z = Math.min(end, segStart + size);
            if (a < z) {
                segment(seg).write(a - segStart, batch, (int) (a - start), (int) (z - a));
            }
        }
        for (long seg = first; seg <= last; seg++) {
            if (omit != Omit.SEGMENT_SYNC) {
                segment(seg).sync();
            }
        }
        // endregion write-batch
        if (archive != null) {
            archiveBefore(last);                             // the segments this flush moved past are complete
        }
        prepareAhead(last + 1, end);                         // ready by the time this one is full
        files.keySet().removeIf(s -> {
            if (s < first) {
                try {
                    files.get(s).close();
                } catch (IOException e) {
                    // a close failure after a successful sync loses nothing
                }
                return true;
            }
            return false;
        });
    }

    /** The open file of segment {@code seg}, for the flusher: waits until the preparer has it ready. */
    private Storage.StorageFile segment(long seg) throws IOException {
        Storage.StorageFile f = files.get(seg);
        if (f != null) {
            return f;
        }
        if (preparer == null) {
            f = prepare(seg);
        } else {
            prepLock.lock();
            try {
                request(seg);                                // asked for already, unless a flush outran the preparer
                while ((f = prepared.remove(seg)) == null) {
                    if (preparationFailure != null) {
                        throw new IOException("segment " + Format.segmentName(seg) + " could not be prepared: " + preparationFailure);
                    }
                    preparation.awaitUninterruptibly();
                }
            } finally {
                prepLock.unlock();
            }
        }
        files.put(seg, f);
        return f;
    }

    /**
     * Gets segment {@code seg} ready before a flush needs it, once the log ({@code end}) is past the
     * middle of the one before: early enough for the preparer, and a log that stops (or crashes) in
     * the first half of a segment leaves no prepared one behind for recovery to read and check.
     */
    private void prepareAhead(long seg, long end) throws IOException {
        if (files.containsKey(seg) || end % size <= size / 2) {
            return;
        }
        if (preparer == null) {
            segment(seg);                                    // in the flush, after its sync: only the flusher waits
            return;
        }
        prepLock.lock();
        try {
            request(seg);
        } finally {
            prepLock.unlock();
        }
    }

    /** With prepLock held: asks the preparer for {@code seg} unless it is ready, under way or asked for already. */
    private void request(long seg) {
        if (!prepared.containsKey(seg) && preparing != seg && !toPrepare.contains(seg)) {
            toPrepare.addLast(seg);
            preparation.signalAll();
        }
    }

    /**
     * The preparer's loop: prepares what is asked, in order, until the log is closed (after the
     * last request) or a preparation fails. A failed preparation stops the log like a failed flush:
     * the segment's file may be half made, and nothing can be written past the current segment.
     */
    // region preparer
    private void prepareLoop() {
        while (true) {
            long seg;
            prepLock.lock();
            try {
                while (toPrepare.isEmpty() && !stopPreparing) {
                    preparation.awaitUninterruptibly();
                }
                if (toPrepare.isEmpty()) {
                    return;                                  // closed, and everything asked for is done
                }
                seg = toPrepare.pollFirst();
                preparing = seg;
            } finally {
                prepLock.unlock();
            }
            Storage.StorageFile f = null;
            Throwable error = null;
            try {
                f = prepare(seg);
            } catch (Throwable e) {                          // even an Error: the flusher may be waiting for it
                error = e;
            }
            prepLock.lock();
            try {
                preparing = -1;
                if (error == null) {
                    prepared.put(seg, f);
                } else {
                    preparationFailure = String.valueOf(error.getMessage());
                }
                preparation.signalAll();                     // the flusher may be waiting for this segment
            } finally {
                prepLock.unlock();
            }
            if (error != null) {
                stop("the log failed while preparing segment " + Format.segmentName(seg) + " in " + storage.describe() + ": "
                        + error.getMessage() + "; it accepts nothing more: restart to recover", error);
                return;
            }
        }
    }

    /** Fails the log (unless it failed already), waking every committer. */
    private void stop(String message, Throwable error) {
        lock.lock();
        try {
            if (failure == null) {
                failure = error;
                failureMessage = message;
            }
            flushDone.signalAll();
        } finally {
            lock.unlock();
        }
    }
    // endregion preparer

    /** Prepares segment {@code seg} (the preparer does this): preallocated (or recycled), headed, synced, its directory synced. */
    // region prepare-segment
    private Storage.StorageFile prepare(long seg) throws IOException {
        String name = Format.segmentName(seg);
        boolean created = false;
        if (!storage.exists(name)) {
            String recycled = takeSpare();
            if (recycled != null && storage.exists(recycled)) {
                storage.rename(recycled, name);              // reuse an old segment: no allocation
            } else {
                created = true;
            }
        }
        Storage.StorageFile f = storage.open(name, true);
        byte[] header = new byte[Format.SEGMENT_HEADER];
        f.read(0, header, 0, header.length);
        if (!Format.validSegmentHeader(header, 0, size, seg * size)) {
            if (created || f.size() < size) {
                byte[] zeros = new byte[Math.min(size, 1 << 20)];
                for (long at = 0; at < size; at += zeros.length) {
                    f.write(at, zeros, 0, (int) Math.min(zeros.length, size - at));   // preallocate: later
                }                                                                  // syncs need no metadata
            }
            Format.writeSegmentHeader(header, 0, size, seg * size);
            f.write(0, header, 0, header.length);
            f.sync();
            if (omit != Omit.DIRECTORY_SYNC) {
                storage.syncDirectory();                     // the new name must survive a crash too
            }
        }
        return f;
    }
    // endregion prepare-segment

    private String takeSpare() {
        prepLock.lock();
        try {
            return spares.pollFirst();
        } finally {
            prepLock.unlock();
        }
    }

    // ------------------------------------------------------------------ archiving

    /**
     * From now on, copies every completed segment to {@code archive} (synced) before going on, and
     * never recycles a segment that is not archived: with a base backup, the archive is what
     * point-in-time recovery replays (PostgreSQL's archive_command does the same job). The copy is
     * made by the flush that completes the segment, so that flush takes longer.
     */
    public void archiveTo(Storage archive) throws IOException {
        lock.lock();
        try {
            while (flushing) {
                flushDone.awaitUninterruptibly();
            }
            long oldest = insert / size;
            for (String name : storage.list()) {
                long seg = Format.segmentOf(name);
                if (seg >= 0) {
                    oldest = Math.min(oldest, seg);
                }
            }
            archiveNext = oldest;
            this.archive = archive;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Flushes, then archives every segment up to and including the current, partial one (like
     * PostgreSQL's pg_switch_wal), so that the archive holds everything durable so far.
     */
    public void archiveNow() throws IOException {
        if (archive == null) {
            throw new IllegalStateException("no archive: call archiveTo first");
        }
        flush();
        lock.lock();
        try {
            while (flushing) {
                flushDone.awaitUninterruptibly();
            }
            checkUsable();
            flushing = true;
        } finally {
            lock.unlock();
        }
        try {
            long current = (endLsnUnlocked() - 1) / size;
            archiveBefore(current);
            copyToArchive(current);
        } finally {
            lock.lock();
            try {
                flushing = false;
                flushDone.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private long endLsnUnlocked() {
        return insert;
    }

    /** Archives every segment below {@code seg} not archived yet (called by the flusher, or under its exclusion). */
    private void archiveBefore(long seg) throws IOException {
        for (; archiveNext >= 0 && archiveNext < seg; archiveNext++) {
            copyToArchive(archiveNext);
        }
    }

    private void copyToArchive(long seg) throws IOException {
        String name = Format.segmentName(seg);
        if (!storage.exists(name)) {
            return;
        }
        byte[] bytes = new byte[size];
        int n;
        try (Storage.StorageFile f = storage.open(name, false)) {
            n = f.read(0, bytes, 0, size);
        }
        try (Storage.StorageFile f = archive.open(name, true)) {
            f.write(0, bytes, 0, n);
            f.sync();
        }
        archive.syncDirectory();
    }

    /** Cuts the log in {@code storage} at {@code lsn}: what follows is zeroed or deleted (point-in-time recovery stops here). */
    static void truncate(Storage storage, int segmentSize, long lsn) throws IOException {
        cutTail(storage, segmentSize, lsn);
    }

    // ------------------------------------------------------------------ checkpoints and recycling

    /**
     * Tells the log that nothing before {@code lsn} will be needed for recovery any more (a
     * checkpoint's redo point): whole segments before it are recycled for future use, up to
     * {@link WalConfig#spareSegments()}, and the rest deleted. Returns how many were released.
     */
    public int releaseBefore(long lsn) throws IOException {
        long keepFrom = lsn / size;
        long current;
        lock.lock();
        try {
            while (flushing) {
                flushDone.awaitUninterruptibly();
            }
            checkUsable();
            flushing = true;                 // the segment files are the flusher's: keep it out meanwhile
            current = insert / size;
        } finally {
            lock.unlock();
        }
        try {
            return release(keepFrom, current);
        } finally {
            lock.lock();
            try {
                flushing = false;
                flushDone.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private int release(long keepFrom, long current) throws IOException {
        if (archive != null) {
            archiveBefore(Math.min(keepFrom, current));     // never recycle what the archive lacks
        }
        int released = 0;
        for (String name : storage.list()) {
            long seg = Format.segmentOf(name);
            if (seg < 0 || seg >= keepFrom || seg >= current || files.containsKey(seg)) {
                continue;
            }
            if (spareCount() < config.spareSegments()) {
                String spare = "spare-" + name;
                storage.rename(name, spare);
                addSpare(spare);
            } else {
                storage.delete(name);
            }
            released++;
        }
        if (released > 0) {
            storage.syncDirectory();
        }
        return released;
    }

    private int spareCount() {
        prepLock.lock();
        try {
            return spares.size();
        } finally {
            prepLock.unlock();
        }
    }

    private void addSpare(String name) {
        prepLock.lock();
        try {
            spares.addLast(name);
        } finally {
            prepLock.unlock();
        }
    }

    // ------------------------------------------------------------------ observing

    /** Everything before this LSN is durable. */
    public long durableLsn() {
        return durable;
    }

    /** The LSN the next record will get (or the one after a segment switch). */
    public long endLsn() {
        lock.lock();
        try {
            return insert;
        } finally {
            lock.unlock();
        }
    }

    /** How many flushes (each one write pass and one fsync per segment touched) have completed. */
    public long flushes() {
        lock.lock();
        try {
            return flushes;
        } finally {
            lock.unlock();
        }
    }

    /** How many records have been made durable. */
    public long flushedRecords() {
        lock.lock();
        try {
            return flushedRecords;
        } finally {
            lock.unlock();
        }
    }

    /** Why the log failed, or null. */
    public String failure() {
        lock.lock();
        try {
            return failureMessage;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ async mode and closing

    private void asyncLoop() {
        while (true) {
            try {
                Thread.sleep(config.asyncIntervalMillis());
            } catch (InterruptedException e) {
                return;
            }
            lock.lock();
            try {
                if (closed || failure != null) {
                    return;
                }
                if (!flushing && insert > durable) {
                    lead();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Flushes what was appended (unless the log failed), stops the async flusher and closes the files. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
        } finally {
            lock.unlock();
        }
        if (failure() == null) {
            flush();
        }
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
        if (asyncFlusher != null) {
            asyncFlusher.interrupt();
            join(asyncFlusher);
        }
        stopPreparer(false);                                 // it finishes what was asked first
        closeFiles();
    }

    /** Stops the preparer and waits for it: after what was asked, or ({@code drop}) after the preparation under way. */
    private void stopPreparer(boolean drop) {
        if (preparer == null) {
            return;
        }
        prepLock.lock();
        try {
            stopPreparing = true;
            if (drop) {
                toPrepare.clear();
            }
            preparation.signalAll();
        } finally {
            prepLock.unlock();
        }
        join(preparer);
    }

    private static void join(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeFiles() throws IOException {
        for (Storage.StorageFile f : files.values()) {
            f.close();
        }
        files.clear();
        for (Storage.StorageFile f : prepared.values()) {
            f.close();
        }
        prepared.clear();
    }

    /** Stops without flushing: what is not durable is dropped, as if the process had died. */
    void abandon() throws IOException {
        lock.lock();
        try {
            closed = true;
            failure = new IllegalStateException("abandoned");
            failureMessage = "the log was abandoned (a simulated process death)";
        } finally {
            lock.unlock();
        }
        if (asyncFlusher != null) {
            asyncFlusher.interrupt();
        }
        stopPreparer(true);                                  // a preparation under way ends first: nothing writes after
        closeFiles();
    }

    /**
     * Reads the records from {@code from} to the end of the log in {@code storage} without changing
     * anything (the inspector and point-in-time recovery use it); returns the LSN where it stopped.
     */
    public static long read(Storage storage, int segmentSize, long from, RecordHandler handler) throws IOException {
        try (LogScanner scanner = new LogScanner(storage, segmentSize)) {
            return scanner.scan(from, handler).end();
        }
    }
}
