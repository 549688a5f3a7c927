package dev.deepcuts.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;

/** One physical connection and its bookkeeping. The state changes only by compare-and-set. */
final class PoolEntry {

    // region states
    static final int IDLE = 0;
    static final int IN_USE = 1;
    static final int RESERVED = 2;     // being handed to a waiter, checked or retired: nobody may take it
    static final int REMOVED = 3;
    // endregion states

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PoolEntry.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Connection connection;
    final long createdNanos;
    final long retireNanos;            // created + lifetime - jitter
    final int defaultIsolation;
    final boolean defaultAutoCommit;
    final boolean defaultReadOnly;
    final String defaultCatalog;
    final String defaultSchema;
    final int defaultNetworkTimeout;
    @SuppressWarnings("unused")
    private volatile int state;

    // the holder: written by the borrower before it uses the connection, read by the housekeeper
    // (plain fields: the housekeeper reads them racily, and a slightly stale view only delays a report;
    // volatile stores on every borrow would cost more than the rest of the cycle)
    Thread holder;
    long borrowedNanos;                // coarse clock
    Throwable site;                    // where it was borrowed, if sampled: frames are only walked for a report
    volatile boolean leakReported;
    volatile boolean reclaimed;
    long lastReturnedNanos;

    PoolEntry(Connection connection, long createdNanos, long lifetimeNanos) throws java.sql.SQLException {
        this.connection = connection;
        this.createdNanos = createdNanos;
        long jitter = (long) (lifetimeNanos * 0.025 * java.util.concurrent.ThreadLocalRandom.current().nextDouble());
        this.retireNanos = createdNanos + lifetimeNanos - jitter;
        this.defaultIsolation = connection.getTransactionIsolation();
        this.defaultAutoCommit = connection.getAutoCommit();
        this.defaultReadOnly = connection.isReadOnly();
        this.defaultCatalog = connection.getCatalog();
        this.defaultSchema = connection.getSchema();
        this.defaultNetworkTimeout = connection.getNetworkTimeout();
        this.lastReturnedNanos = createdNanos;
        this.state = RESERVED;
    }

    // region state-word
    int state() {
        return (int) STATE.getVolatile(this);
    }

    boolean cas(int from, int to) {
        return STATE.compareAndSet(this, from, to);
    }

    void set(int to) {
        STATE.setVolatile(this, to);
    }
    // endregion state-word
}
