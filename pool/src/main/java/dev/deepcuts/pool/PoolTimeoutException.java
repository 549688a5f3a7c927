package dev.deepcuts.pool;

import java.sql.SQLTransientConnectionException;

/**
 * {@code getConnection()} waited its full borrow timeout. The message says why: how big the pool is,
 * how many connections are in use and idle, how many threads wait, who holds the connections the
 * longest and where they borrowed them, and the last error from the database, if any.
 */
public final class PoolTimeoutException extends SQLTransientConnectionException {

    private static final long serialVersionUID = 1L;

    PoolTimeoutException(String message, Throwable cause) {
        super(message, "08001", cause);
    }
}
