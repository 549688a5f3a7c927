package dev.deepcuts.wal;

/** When {@link WriteAheadLog#commit(long)} returns, and what a crash can then lose. */
public enum Durability {

    /**
     * Every commit writes and fsyncs the log itself, holding the log while it does: one commit per
     * fsync, appends stall meanwhile. Nothing acknowledged is lost. The baseline group commit beats.
     */
    SYNC_EACH,

    /**
     * Group commit: a committer finding no flush in progress becomes the leader and flushes
     * everything appended so far with one fsync; committers arriving meanwhile wait for it, and
     * one of them leads the next flush. Nothing acknowledged is lost.
     */
    GROUP,

    /**
     * Commit returns at once; a background thread flushes every {@link WalConfig#asyncIntervalMillis()}.
     * A crash loses the commits of the last interval plus one fsync: that is the window of loss
     * (PostgreSQL's synchronous_commit=off, InnoDB's innodb_flush_log_at_trx_commit=2 trades the same way).
     */
    ASYNC
}
