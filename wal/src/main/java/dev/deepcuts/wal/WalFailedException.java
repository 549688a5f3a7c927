package dev.deepcuts.wal;

/**
 * A write or fsync of the log failed, so the log has stopped: it refuses every further append and
 * commit, and never retries the failed fsync — after a failed fsync the kernel may already have
 * dropped the dirty pages, so a retry can "succeed" without making anything durable (PostgreSQL's
 * "fsyncgate", 2018). The only safe way on is to restart and recover from what is on disk.
 */
public final class WalFailedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    WalFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
