package dev.deepcuts.pool;

import java.lang.invoke.MethodHandles;
import java.lang.ref.WeakReference;
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
    private static final VarHandle HOLDER;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PoolEntry.class, "state", int.class);
            HOLDER = MethodHandles.lookup().findVarHandle(PoolEntry.class, "holder", Thread.class);
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

    // The borrow, as the housekeeper sees it: written by the borrower after its CAS, published by
    // the release-store of the holder (publish), cleared before the state leaves IN_USE again (clear).
    // A reader that sees a holder with an acquire-load (holder) sees this borrow's time and site;
    // one that sees no holder skips the entry: the borrow is not published yet, or is ending.
    @SuppressWarnings("unused")
    private Thread holder;
    long borrowedNanos;                // coarse clock
    Throwable site;                    // where it was borrowed, if sampled: frames are only walked for a report
    volatile boolean leakReported;
    volatile boolean reclaimed;
    long lastReturnedNanos;
    /** What a thread remembers as the connection it used last: it must not keep a retired connection alive. */
    final WeakReference<PoolEntry> self = new WeakReference<>(this);

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

    // region holder
    /** Publishes the borrow: its time and site first, the holder last, with a release store. */
    void publish(Thread by, long nanos, Throwable at) {
        borrowedNanos = nanos;
        site = at;
        if (leakReported) {
            leakReported = false;
        }
        HOLDER.setRelease(this, by);
    }

    /** Ends the borrow for observers; called before the state leaves IN_USE. */
    void clear() {
        HOLDER.setRelease(this, null);
    }

    /** The holder, or null if the borrow is not published (or is ending); if not null, its time and site are visible too. */
    Thread holder() {
        return (Thread) HOLDER.getAcquire(this);
    }
    // endregion holder
}
