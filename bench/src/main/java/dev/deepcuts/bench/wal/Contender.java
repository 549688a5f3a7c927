package dev.deepcuts.bench.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import org.rocksdb.WriteOptions;
import org.sqlite.SQLiteConfig;

import dev.deepcuts.wal.FileStorage;
import dev.deepcuts.wal.KvStore;
import dev.deepcuts.wal.WalConfig;
import dev.deepcuts.wal.WriteAheadLog;

/**
 * One store under test, open in its own folder: a session per writer thread, each of whose
 * {@link Session#commit commits} is durable when it returns, and a count of the syncs it has done
 * so far where the store can tell.
 */
sealed interface Contender extends AutoCloseable
        permits Contender.KvStoreContender, Contender.LogContender, Contender.SqliteContender,
                Contender.RocksDbContender, Contender.FdatasyncContender {

    /** The five contenders, in the order of the report. */
    enum Kind {
        KV_STORE("KvStore", true),
        LOG("WriteAheadLog alone", true),
        SQLITE("SQLite", false),
        ROCKSDB("RocksDB", false),
        FDATASYNC("raw fdatasync", false);

        final String label;
        final boolean ours;

        Kind(String label, boolean ours) {
            this.label = label;
            this.ours = ours;
        }

        /** Opens this contender in {@code dir} (created, empty) with a session for each of {@code writers}. */
        Contender open(Path dir, int writers) throws Exception {
            return switch (this) {
                case KV_STORE -> new KvStoreContender(dir, writers);
                case LOG -> new LogContender(dir, writers);
                case SQLITE -> new SqliteContender(dir, writers);
                case ROCKSDB -> new RocksDbContender(dir, writers);
                case FDATASYNC -> new FdatasyncContender(dir, writers);
            };
        }
    }

    /** One writer's handle: used by one thread at a time. */
    interface Session {
        /** Writes {@code key = value}; durable when this returns. */
        void commit(byte[] key, byte[] value) throws Exception;
    }

    Kind kind();

    /** Writer {@code i}'s session, {@code 0 <= i < writers} of {@link Kind#open}. */
    Session session(int i);

    /** Syncs so far (log flushes, WAL fsyncs, fdatasync calls), or -1 where the store does not tell. */
    long syncs();

    /** One line on what exactly runs: versions, settings as the store reports them. */
    String describe();

    @Override
    void close() throws Exception;

    // ---------------------------------------------------------------------------------------------

    /**
     * Our store: one transaction with one put per commit, group commit (the log's default
     * durability), full-page writes on, the whole key space in the buffer pool.
     */
    final class KvStoreContender implements Contender {
        private final KvStore store;

        KvStoreContender(Path dir, int writers) throws IOException {
            store = KvStore.open(new FileStorage(dir), WalBench.storeConfig());
        }

        @Override
        public Kind kind() {
            return Kind.KV_STORE;
        }

        @Override
        public Session session(int i) {
            return (key, value) -> store.begin().put(key, value).commit();
        }

        @Override
        public long syncs() {
            return store.log().flushes();
        }

        @Override
        public String describe() {
            var c = WalBench.storeConfig();
            return String.format("KvStore: %d pages of %d B, all in the buffer pool, full-page writes %s; log %s, %d MiB segments",
                    c.pages(), c.pageSize(), c.fullPageWrites() ? "on" : "off", c.wal().durability(), c.wal().segmentSize() >> 20);
        }

        @Override
        public void close() throws IOException {
            store.close();
        }
    }

    /** Our log alone, no store on it: append a 100-byte record, commit it (group commit). */
    final class LogContender implements Contender {
        private final WriteAheadLog log;

        LogContender(Path dir, int writers) throws IOException {
            log = WriteAheadLog.open(new FileStorage(dir), WalConfig.defaults(), 0, (lsn, type, data, offset, length) -> { });
        }

        @Override
        public Kind kind() {
            return Kind.LOG;
        }

        @Override
        public Session session(int i) {
            return (key, value) -> log.commit(log.append(1, value));
        }

        @Override
        public long syncs() {
            return log.flushes();
        }

        @Override
        public String describe() {
            return "WriteAheadLog: append(100-byte record) + commit, " + log.config().durability() + ", "
                    + (log.config().segmentSize() >> 20) + " MiB segments";
        }

        @Override
        public void close() throws IOException {
            log.close();
        }
    }

    /**
     * SQLite in WAL mode with {@code synchronous=FULL} (the WAL is synced at every commit), one
     * autocommitted {@code INSERT OR REPLACE} per commit into a {@code WITHOUT ROWID} table. Each
     * writer has its own connection; SQLite lets one writer at a time into a database, so with
     * several the others wait in its busy handler ({@code busy_timeout}): SQLite serializes writers
     * and does not batch their syncs. (Traced with strace, this build calls fsync once per commit,
     * and none for a commit that rewrites a row with identical bytes: hence the stamped values of
     * {@link Workload}.)
     */
    final class SqliteContender implements Contender {
        static final int BUSY_TIMEOUT_MS = 30_000;

        private final List<Connection> connections = new ArrayList<>();
        private final List<PreparedStatement> statements = new ArrayList<>();
        private final String describe;

        SqliteContender(Path dir, int writers) throws SQLException {
            String url = "jdbc:sqlite:" + dir.resolve("bench.db");
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setBusyTimeout(BUSY_TIMEOUT_MS);
            String version = "?";
            for (int i = 0; i < writers; i++) {
                Connection c = config.createConnection(url);
                connections.add(c);
                try (Statement s = c.createStatement()) {
                    if (i == 0) {
                        s.executeUpdate("CREATE TABLE IF NOT EXISTS kv (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID");
                        version = query(s, "SELECT sqlite_version()");
                    }
                    String mode = query(s, "PRAGMA journal_mode");
                    String sync = query(s, "PRAGMA synchronous");
                    String timeout = query(s, "PRAGMA busy_timeout");
                    if (!mode.equalsIgnoreCase("wal") || !sync.equals("2")) {
                        throw new IllegalStateException("SQLite connection " + i + " runs journal_mode=" + mode + ", synchronous="
                                + sync + "; expected wal and 2 (FULL)");
                    }
                    if (i == 0) {
                        version = "SQLite " + version + ": journal_mode=" + mode + ", synchronous=" + sync + " (FULL), busy_timeout="
                                + timeout + " ms, " + writers + " connections (one per writer), autocommit";
                    }
                }
                statements.add(c.prepareStatement("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)"));
            }
            describe = version;
        }

        private static String query(Statement s, String sql) throws SQLException {
            try (ResultSet r = s.executeQuery(sql)) {
                return r.next() ? r.getString(1) : "";
            }
        }

        @Override
        public Kind kind() {
            return Kind.SQLITE;
        }

        @Override
        public Session session(int i) {
            PreparedStatement insert = statements.get(i);
            return (key, value) -> {
                insert.setBytes(1, key);
                insert.setBytes(2, value);
                insert.executeUpdate();
            };
        }

        @Override
        public long syncs() {
            return -1;
        }

        @Override
        public String describe() {
            return describe;
        }

        @Override
        public void close() throws SQLException {
            SQLException first = null;
            for (int i = connections.size() - 1; i >= 0; i--) {
                try {
                    statements.get(i).close();
                    connections.get(i).close();
                } catch (SQLException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    /**
     * RocksDB with its default options and {@code WriteOptions.setSync(true)}: one {@code put} per
     * commit, durable when it returns. Its write thread batches concurrent writers into one WAL
     * write and sync, as our group commit does; statistics are on only to count those syncs
     * ({@code rocksdb.wal.synced}).
     */
    final class RocksDbContender implements Contender {
        private final Options options;
        private final Statistics statistics;
        private final WriteOptions sync;
        private final RocksDB db;

        RocksDbContender(Path dir, int writers) throws RocksDBException {
            RocksDB.loadLibrary();
            statistics = new Statistics();
            options = new Options().setCreateIfMissing(true).setStatistics(statistics);
            sync = new WriteOptions().setSync(true);
            db = RocksDB.open(options, dir.toString());
        }

        @Override
        public Kind kind() {
            return Kind.ROCKSDB;
        }

        @Override
        public Session session(int i) {
            return (key, value) -> db.put(sync, key, value);
        }

        @Override
        public long syncs() {
            return statistics.getTickerCount(TickerType.WAL_FILE_SYNCED);
        }

        @Override
        public String describe() {
            return "RocksDB " + RocksDB.rocksdbVersion() + ": default options, WriteOptions.sync=" + sync.sync() + ", one put per commit";
        }

        @Override
        public void close() {
            db.close();
            sync.close();
            options.close();
            statistics.close();
        }
    }

    /**
     * The physical limit: each commit overwrites one 128-byte block of a preallocated file and
     * calls {@code FileChannel.force(false)} (fdatasync), with no store, no checksum, no batching.
     * With one writer this is the most durable commits per second the disk gives one thread; each
     * writer overwrites its own 4 KiB page of the file.
     */
    final class FdatasyncContender implements Contender {
        static final int BLOCK = 128;
        static final int BLOCKS_PER_WRITER = 4096 / BLOCK;

        private final FileChannel file;
        private final LongAdder syncs = new LongAdder();

        FdatasyncContender(Path dir, int writers) throws IOException {
            file = FileChannel.open(dir.resolve("blocks"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            ByteBuffer zeros = ByteBuffer.allocate(writers * BLOCKS_PER_WRITER * BLOCK);
            while (zeros.hasRemaining()) {
                file.write(zeros, zeros.position());
            }
            file.force(true);                         // preallocated: the timed syncs change no metadata
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        }

        @Override
        public Kind kind() {
            return Kind.FDATASYNC;
        }

        @Override
        public Session session(int i) {
            ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
            long[] n = {0};
            return (key, value) -> {
                block.clear();
                block.put(key, 0, Math.min(key.length, BLOCK));
                block.put(value, 0, Math.min(value.length, block.remaining()));
                block.clear();
                long at = ((long) i * BLOCKS_PER_WRITER + n[0]++ % BLOCKS_PER_WRITER) * BLOCK;
                while (block.hasRemaining()) {
                    file.write(block, at + block.position());
                }
                file.force(false);
                syncs.increment();
            };
        }

        @Override
        public long syncs() {
            return syncs.sum();
        }

        @Override
        public String describe() {
            return "raw fdatasync: FileChannel.write of a 128-byte block + force(false), preallocated file";
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
