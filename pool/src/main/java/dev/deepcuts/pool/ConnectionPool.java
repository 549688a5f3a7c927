package dev.deepcuts.pool;

import java.io.PrintWriter;
import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A JDBC connection pool: a {@link DataSource} whose connections are opened once and lent out again
 * and again. Waiting borrowers are served first come, first served; a borrow that times out says
 * why; connections held too long are reported with where they were borrowed; a thread borrowing a
 * second connection while holding one is flagged, because that is how pools deadlock.
 *
 * <p>Thread-safe. Waiting parks the thread (no {@code synchronized}), so virtual threads wait
 * without pinning a carrier.
 */
public final class ConnectionPool implements DataSource, AutoCloseable {

    // region design
    /*
     * How it works.
     *
     * Every connection is a PoolEntry with a state word changed only by compare-and-set: IDLE,
     * IN_USE, RESERVED (being handed over, checked or retired) and REMOVED. Borrowing, when nobody
     * waits, is a CAS from IDLE to IN_USE — first on the connection this thread used last (it is
     * likely still in this core's cache), then on any. Returning is a CAS back to IDLE. That is the
     * whole fast path: no lock, no queue, no clock read (times come from a coarse clock a ticker
     * thread advances every millisecond).
     *
     * When there is nothing idle, the borrower joins a FIFO queue of waiters and parks. From then
     * on the pool is fair: while anyone waits, a returned connection does not go back to IDLE,
     * where a newly arriving thread could snatch it ("barging"), but straight to the oldest waiter.
     * New borrowers see that someone waits and queue up behind. The one race — a connection
     * returned just as a borrower decides to wait — is closed Dekker-style: the borrower announces
     * itself (waiting++) before it looks for idle connections one last time, and the returner
     * writes IDLE before it looks for waiters; one of them is sure to see the other.
     *
     * Pools that let threads barge (most do: it is faster when uncontended) have a median wait of
     * zero and a long tail: an unlucky thread can lose every race until it times out. FIFO makes
     * waits predictable: with N threads on P connections, a borrower waits for about N/P holds.
     *
     * A housekeeper thread retires connections past their lifetime, closes idle ones beyond
     * minIdle, checks idle ones now and then (keepalive), reports and optionally reclaims
     * connections held past the leak threshold, and tops the pool up to minIdle. It sees a borrow
     * only once the borrower has published it (holder written last, with release semantics), and
     * a reclaim is decided by the state word and a re-check of the holder and borrow time, so it
     * can neither report a borrow by the time of the one before nor take back a connection that
     * was returned and lent again meanwhile.
     *
     * New connections for waiters are opened on a thread of their own, so a borrower's deadline
     * holds however slowly the database accepts connections.
     */
    // endregion design

    private final PoolConfig config;
    private final CopyOnWriteArrayList<PoolEntry> entries = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();     // guarded by lock
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger slots = new AtomicInteger();           // connections open or being opened
    private final AtomicInteger opening = new AtomicInteger();         // connections being opened for waiters
    private final ThreadLocal<Borrower> borrowers = ThreadLocal.withInitial(Borrower::new);
    private volatile long coarseNanos = System.nanoTime();
    private volatile boolean closed;
    private volatile String lastConnectError;
    private final Thread ticker;
    private final Thread housekeeper;

    private final LongAdder borrows = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder created = new LongAdder();
    private final LongAdder closedConnections = new LongAdder();
    private final LongAdder leaks = new LongAdder();
    private final LongAdder nested = new LongAdder();
    private final Recorder waitMicros = new Recorder(3_600_000_000L, 2);
    private final Recorder holdMicros = new Recorder(3_600_000_000L, 2);
    private final ConcurrentHashMap<String, long[]> siteHolds = new ConcurrentHashMap<>(); // samples, total, max (µs)
    private final ArrayDeque<Object[]> heldSamples = new ArrayDeque<>();                   // {site, hold µs}, guarded by itself
    private final ConcurrentHashMap<String, AtomicLong> nestedSites = new ConcurrentHashMap<>(); // nested borrows per line
    private final Object statsLock = new Object();
    private final Histogram waitTotal = new Histogram(3_600_000_000L, 2);  // since start or the last reset, guarded by statsLock
    private final Histogram holdTotal = new Histogram(3_600_000_000L, 2);
    private Histogram waitInterval;                                        // recycled, guarded by statsLock
    private Histogram holdInterval;
    private static final StackWalker WALKER = StackWalker.getInstance();

    /** What the pool remembers per thread: connections held, borrows made (for sampling), the connection used last. */
    private static final class Borrower {
        int held;
        int borrows;
        WeakReference<PoolEntry> last;     // weak: a retired connection must not stay reachable from every thread that used it
    }

    /** A thread waiting for a connection; {@code entry} is set by whoever hands one over. */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        volatile PoolEntry entry;
    }

    /**
     * Opens the pool and its first {@code minIdle} connections (at least one), failing fast if the
     * database cannot be reached.
     *
     * @throws SQLException naming the URL (password masked) and the database's own error
     */
    public ConnectionPool(PoolConfig config) throws SQLException {
        this.config = config;
        this.ticker = Thread.ofPlatform().daemon().name(config.poolName() + "-clock").start(this::tick);
        try {
            int first = Math.max(1, config.minIdle());
            for (int i = 0; i < first; i++) {
                slots.incrementAndGet();
                PoolEntry e = open();
                e.set(PoolEntry.IDLE);
            }
        } catch (SQLException e) {
            closed = true;
            ticker.interrupt();
            closeAll();
            throw new SQLException("pool '" + config.poolName() + "' cannot start: connecting to " + config.safeUrl()
                    + " failed: " + e.getMessage(), e.getSQLState(), e);
        }
        this.housekeeper = Thread.ofPlatform().daemon().name(config.poolName() + "-housekeeper").start(this::housekeep);
    }

    /** The configuration. */
    public PoolConfig config() {
        return config;
    }

    /** The pool's name. */
    public String name() {
        return config.poolName();
    }

    // ------------------------------------------------------------------ borrowing

    /**
     * Borrows a connection, waiting up to the borrow timeout; close it to give it back.
     *
     * @throws PoolTimeoutException if none came free in time, with the pool's state and its longest holders
     */
    @Override
    public Connection getConnection() throws SQLException {
        if (closed) {
            throw new SQLException("pool '" + name() + "' is closed", "08003");
        }
        // region borrow
        Borrower b = borrowers.get();
        PoolEntry e = waiting.get() == 0 ? tryTake(b) : null;      // fast path: no waiters, no queue
        if (e == null) {
            e = waitFor(System.nanoTime() + config.borrowTimeout().toNanos());
        }
        // endregion borrow
        borrowed(e, b);
        return new ProxyConnection(this, e);
    }

    // region take
    /** Takes an idle connection, if there is one: the last one this thread used first. */
    private PoolEntry tryTake(Borrower b) {
        PoolEntry last = b.last == null ? null : b.last.get();
        if (last != null && last.cas(PoolEntry.IDLE, PoolEntry.IN_USE)) {
            return last;
        }
        for (PoolEntry p : entries) {
            if (p.cas(PoolEntry.IDLE, PoolEntry.IN_USE)) {
                return p;
            }
        }
        return null;
    }
    // endregion take

    // region wait
    private PoolEntry waitFor(long deadline) throws SQLException {
        long start = System.nanoTime();
        Waiter w = new Waiter();
        lock.lock();
        try {
            waiters.addLast(w);
        } finally {
            lock.unlock();
        }
        waiting.incrementAndGet();                      // announce first, then look once more
        for (PoolEntry p : entries) {
            if (p.cas(PoolEntry.IDLE, PoolEntry.RESERVED)) {
                handOff(p);                             // to the oldest waiter, which may not be us
                break;
            }
        }
        maybeGrow();
        while (w.entry == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || closed) {
                break;
            }
            LockSupport.parkNanos(this, left);
        }
        if (w.entry == null) {
            lock.lock();
            try {
                if (w.entry == null) {                  // still nothing: leave the queue
                    waiters.remove(w);
                    waiting.decrementAndGet();
                }
            } finally {
                lock.unlock();
            }
        }
        PoolEntry got = w.entry;
        if (got == null) {
            timeouts.increment();
            throw new PoolTimeoutException(timeoutMessage(System.nanoTime() - start), null);
        }
        waitMicros.recordValue((System.nanoTime() - start) / 1000);
        return got;
    }
    // endregion wait

    // region hand-off
    /** Gives {@code e} (RESERVED) to the oldest waiter, or makes it IDLE if nobody waits any more. */
    private void handOff(PoolEntry e) {
        lock.lock();
        try {
            Waiter w = waiters.pollFirst();
            if (w == null) {
                e.set(PoolEntry.IDLE);
                return;
            }
            waiting.decrementAndGet();
            e.set(PoolEntry.IN_USE);
            w.entry = e;
            LockSupport.unpark(w.thread);
        } finally {
            lock.unlock();
        }
    }
    // endregion hand-off

    // region grow
    /**
     * If there is room and someone waits, opens one more connection on a thread of its own; it goes
     * to the oldest waiter. Nobody waits for the driver: a borrower keeps its deadline however slowly
     * the database accepts connections, and a thread that retires a connection does not open its
     * replacement.
     */
    private void maybeGrow() {
        int n = slots.get();
        while (n < config.maxSize()) {
            if (slots.compareAndSet(n, n + 1)) {
                opening.incrementAndGet();
                Thread.ofPlatform().daemon().name(name() + "-opener").start(this::openForWaiters);
                return;
            }
            n = slots.get();
        }
    }

    private void openForWaiters() {
        try {
            PoolEntry e = open();
            if (closed) {
                retire(e);
            } else {
                handOff(e);
            }
        } catch (SQLException ex) {
            slots.decrementAndGet();
            lastConnectError = ex.getMessage();
        } finally {
            opening.decrementAndGet();
        }
    }
    // endregion grow

    // region borrowed
    private void borrowed(PoolEntry e, Borrower b) {
        b.last = e.self;
        borrows.increment();
        boolean pressure = waiting.get() > 0;
        if (b.held > 0) {
            nested.increment();                          // this thread already holds one: pool-locking risk
            warnNested();
        }
        b.held++;
        // a Throwable records the stack cheaply; its frames are only materialized if a report needs them
        Throwable site = pressure || (++b.borrows & (config.siteSampling() - 1)) == 0 ? new Throwable("borrowed here") : null;
        e.publish(Thread.currentThread(), coarseNanos, site);   // last: the housekeeper ignores the entry until then
    }

    /** The stack a site recorded, from the first frame outside the pool. */
    private static StackTraceElement[] frames(Throwable site) {
        if (site == null) {
            return null;
        }
        StackTraceElement[] all = site.getStackTrace();
        int i = 0;
        while (i < all.length && isPoolFrame(all[i].getClassName())) {
            i++;
        }
        return java.util.Arrays.copyOfRange(all, i, Math.min(all.length, i + 12));
    }

    /** A frame of the pool itself (a class of this package, not of a subpackage such as the labs). */
    private static boolean isPoolFrame(String className) {
        String pkg = "dev.deepcuts.pool.";
        return className.startsWith(pkg) && className.indexOf('.', pkg.length()) < 0 && !className.endsWith("Test");
    }
    // endregion borrowed

    // region nested-warning
    /**
     * Warns of a nested borrow: the first one from a line of code, then the 10th, the 100th, the
     * 1000th... from the same line, each with the count, so a hot path cannot flood the log and a
     * line that keeps doing it keeps being named. Every nested borrow is counted in the stats.
     */
    private void warnNested() {
        String line = WALKER.walk(frames -> frames.filter(f -> !isPoolFrame(f.getClassName())).findFirst()
                .map(f -> f.toStackTraceElement().toString()).orElse("(unknown)"));
        long n = nestedSites.computeIfAbsent(line, k -> new AtomicLong()).incrementAndGet();
        if (isPowerOfTen(n)) {
            config.events().accept("pool '" + name() + "': thread " + Thread.currentThread().getName()
                    + " borrows a second connection while holding one; with enough such threads the pool deadlocks"
                    + " (threads x (connections per task - 1) + 1 > pool size). Nested borrow number " + n
                    + " from this line (the next warning from it at number " + n * 10 + "). Borrowed at:"
                    + format(frames(new Throwable()), 8));
        }
    }

    private static boolean isPowerOfTen(long n) {
        while (n >= 10 && n % 10 == 0) {
            n /= 10;
        }
        return n == 1;
    }
    // endregion nested-warning

    // ------------------------------------------------------------------ returning

    // region return
    /** Called by {@link ProxyConnection#close()}: resets the connection and hands it on. */
    void release(ProxyConnection proxy) {
        PoolEntry e = proxy.entry;
        borrowers.get().held--;
        long now = coarseNanos;
        Throwable site = e.site;
        if (site != null) {                              // hold times are kept for sampled borrows only
            holdMicros(Math.max(0, (now - e.borrowedNanos) / 1000), site);
        }
        e.clear();                                       // still IN_USE, but the housekeeper leaves it alone now
        if (e.reclaimed) {
            return;                                      // the housekeeper took it already
        }
        boolean ok = !proxy.broken && reset(proxy, e);
        if (!ok || now > e.retireNanos || closed) {
            if (giveBack(e, PoolEntry.RESERVED)) {
                retire(e);
            }
            return;
        }
        e.lastReturnedNanos = now;
        // region release
        if (waiting.get() > 0) {
            if (giveBack(e, PoolEntry.RESERVED)) {
                handOff(e);                              // straight to the oldest waiter: no barging
            }
        } else if (giveBack(e, PoolEntry.IDLE) && waiting.get() > 0 && e.cas(PoolEntry.IDLE, PoolEntry.RESERVED)) {
            handOff(e);                                  // a waiter arrived meanwhile
        }
        // endregion release
    }
    // endregion return

    // region give-back
    /**
     * Moves a returned connection out of IN_USE by CAS (which costs what a volatile store costs), so
     * that a return can never overwrite a reclaim: false if the housekeeper took the connection. While
     * the housekeeper holds it RESERVED for the few instructions of its check, the returner waits.
     */
    private static boolean giveBack(PoolEntry e, int to) {
        while (!e.cas(PoolEntry.IN_USE, to)) {
            if (e.reclaimed) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }
    // endregion give-back

    private void holdMicros(long micros, Throwable borrowedAt) {
        holdMicros.recordValue(Math.min(micros, 3_600_000_000L));
        synchronized (heldSamples) {                     // attributed to call sites later, by stats()
            if (heldSamples.size() < 4096) {
                heldSamples.add(new Object[] {borrowedAt, micros});
            }
        }
    }

    /** Walks the stacks of the hold-time samples taken since the last call and adds them up per call site. */
    private void attributeSamples() {
        List<Object[]> batch;
        synchronized (heldSamples) {
            batch = new ArrayList<>(heldSamples);
            heldSamples.clear();
        }
        for (Object[] sample : batch) {
            attribute((Throwable) sample[0], (Long) sample[1]);
        }
    }

    private void attribute(Throwable borrowedAt, long micros) {
        StackTraceElement[] site = frames(borrowedAt);
        if (site != null && site.length > 0) {
            long[] s = siteHolds.computeIfAbsent(site[0].toString(), k -> new long[3]);
            synchronized (s) {
                s[0]++;
                s[1] += micros;
                s[2] = Math.max(s[2], micros);
            }
        }
    }

    // region reset
    /** Undoes what the borrower changed; false if the connection misbehaves (then it is retired). */
    private boolean reset(ProxyConnection p, PoolEntry e) {
        Connection c = e.connection;
        try {
            p.closeStatements();
            if (!c.getAutoCommit()) {
                c.rollback();                            // an open transaction must not leak to the next borrower
            }
            int changed = p.changed;
            if ((changed & ProxyConnection.AUTOCOMMIT) != 0 && c.getAutoCommit() != e.defaultAutoCommit) {
                c.setAutoCommit(e.defaultAutoCommit);
            }
            if ((changed & ProxyConnection.ISOLATION) != 0) {
                c.setTransactionIsolation(e.defaultIsolation);
            }
            if ((changed & ProxyConnection.READONLY) != 0) {
                c.setReadOnly(e.defaultReadOnly);
            }
            if ((changed & ProxyConnection.CATALOG) != 0 && e.defaultCatalog != null) {
                c.setCatalog(e.defaultCatalog);
            }
            if ((changed & ProxyConnection.SCHEMA) != 0 && e.defaultSchema != null) {
                c.setSchema(e.defaultSchema);
            }
            if ((changed & ProxyConnection.NETWORK_TIMEOUT) != 0) {
                c.setNetworkTimeout(Runnable::run, e.defaultNetworkTimeout);
            }
            c.clearWarnings();
            return true;
        } catch (SQLException ex) {
            return false;
        }
    }
    // endregion reset

    // ------------------------------------------------------------------ opening and closing connections

    private PoolEntry open() throws SQLException {
        long t0 = System.nanoTime();
        Connection c = DriverManager.getConnection(config.jdbcUrl(), config.properties());
        PoolEntry e;
        try {
            e = new PoolEntry(c, t0, config.maxLifetime().toNanos());
        } catch (SQLException ex) {
            c.close();
            throw ex;
        }
        created.increment();
        lastConnectError = null;
        entries.add(e);
        return e;
    }

    // region retire
    /** Closes and forgets a connection the caller owns (IN_USE or RESERVED). */
    private void retire(PoolEntry e) {
        e.set(PoolEntry.REMOVED);
        entries.remove(e);
        slots.decrementAndGet();
        closedConnections.increment();
        try {
            e.connection.close();
        } catch (SQLException ignored) {
            // it is going away either way
        }
        if (waiting.get() > 0 && !closed) {
            maybeGrow();                                 // someone waits: replace it now
        }
    }
    // endregion retire

    // ------------------------------------------------------------------ housekeeping

    // region coarse-clock
    private void tick() {
        while (!closed) {
            coarseNanos = System.nanoTime();
            LockSupport.parkNanos(1_000_000);
        }
    }
    // endregion coarse-clock

    private void housekeep() {
        long period = Math.min(1_000_000_000L, Math.max(10_000_000L,
                Math.min(config.keepaliveTime().toNanos(), config.leakThreshold().isZero() ? Long.MAX_VALUE : config.leakThreshold().toNanos() / 4)));
        while (!closed) {
            LockSupport.parkNanos(period);
            if (closed) {
                return;
            }
            try {
                housekeepOnce();
            } catch (RuntimeException e) {
                config.events().accept("pool '" + name() + "': housekeeping failed: " + e);
            }
        }
    }

    /** One round: leaks, reclaim, lifetime, idle timeout, keepalive, top-up. Package-private for tests. */
    void housekeepOnce() {
        long now = System.nanoTime();
        coarseNanos = now;
        long leakNanos = config.leakThreshold().toNanos();
        long reclaimNanos = config.reclaimAfter().toNanos();
        int idleCount = 0;
        for (PoolEntry e : entries) {
            int s = e.state();
            if (s == PoolEntry.IN_USE) {
                // region leak-check
                Thread holder = e.holder();              // acquire: if set, this borrow's time and site are visible
                if (holder == null) {
                    continue;                            // lent a moment ago and not published yet, or being returned
                }
                long borrowedAt = e.borrowedNanos;
                long heldFor = now - borrowedAt;
                if (leakNanos > 0 && heldFor > leakNanos && !e.leakReported) {
                    e.leakReported = true;
                    leaks.increment();
                    config.events().accept(leakReport(e, holder, heldFor));
                }
                if (reclaimNanos > 0 && heldFor > reclaimNanos && reclaim(e, holder, borrowedAt)) {
                    config.events().accept("pool '" + name() + "': reclaimed a connection held " + heldFor / 1_000_000
                            + " ms by " + holder.getName());
                }
                // endregion leak-check
            } else if (s == PoolEntry.IDLE) {
                idleCount++;
                boolean old = now > e.retireNanos;
                boolean idleTooLong = now - e.lastReturnedNanos > config.idleTimeout().toNanos() && idleCount > config.minIdle();
                if ((old || idleTooLong) && e.cas(PoolEntry.IDLE, PoolEntry.RESERVED)) {
                    idleCount--;
                    retire(e);
                } else if (now - e.lastReturnedNanos > config.keepaliveTime().toNanos() && e.cas(PoolEntry.IDLE, PoolEntry.RESERVED)) {
                    boolean alive;
                    try {
                        alive = e.connection.isValid((int) Math.max(1, config.validationTimeout().toSeconds()));
                    } catch (SQLException ex) {
                        alive = false;
                    }
                    if (alive) {
                        e.lastReturnedNanos = now;
                        handOff(e);
                    } else {
                        idleCount--;
                        retire(e);
                    }
                }
            }
        }
        while (!closed && slots.get() < config.maxSize() && idleCount < config.minIdle()) {
            int n = slots.get();
            if (!slots.compareAndSet(n, n + 1)) {
                continue;
            }
            try {
                handOff(open());
                idleCount++;
            } catch (SQLException ex) {
                slots.decrementAndGet();
                lastConnectError = ex.getMessage();
                break;
            }
        }
    }

    // region reclaim
    /** Takes a connection back by force if it is still lent to the borrow the housekeeper looked at. Package-private for tests. */
    boolean reclaim(PoolEntry e, Thread holder, long borrowedAt) {
        if (!e.cas(PoolEntry.IN_USE, PoolEntry.RESERVED)) {
            return false;                                // given back meanwhile
        }
        if (e.holder() != holder || e.borrowedNanos != borrowedAt) {
            e.set(PoolEntry.IN_USE);                     // given back and lent again meanwhile: not this borrow
            return false;
        }
        e.reclaimed = true;
        retire(e);
        return true;
    }
    // endregion reclaim

    private String leakReport(PoolEntry e, Thread holder, long heldFor) {
        StackTraceElement[] site = frames(e.site);
        return "pool '" + name() + "': a connection has been held for " + heldFor / 1_000_000 + " ms by thread "
                + holder.getName() + " (leak threshold " + config.leakThreshold().toMillis() + " ms); "
                + (site != null ? "it was borrowed at:" + format(site, 12)
                : "its borrow was not sampled (siteSampling=" + config.siteSampling() + "); the holder is now at:"
                        + format(holder.getStackTrace(), 12));
    }

    private static String format(StackTraceElement[] frames, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(max, frames.length); i++) {
            sb.append("\n\tat ").append(frames[i]);
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ observing

    // region stats
    /**
     * The pool's state now, its counters since it opened, and its wait and hold percentiles and
     * call sites since it opened (or since the last {@link #snapshotAndReset()}). Reading changes
     * nothing: a health check, a debugger and a metrics exporter can all call it.
     */
    public PoolStats stats() {
        return snapshot(false);
    }

    /**
     * Like {@link #stats()}, then starts the percentiles and call sites afresh (the counters keep
     * counting): for one metrics exporter that wants each report to cover the time since its
     * previous one. With two such callers, each would see only part of every interval.
     */
    public PoolStats snapshotAndReset() {
        return snapshot(true);
    }
    // endregion stats

    private PoolStats snapshot(boolean reset) {
        int active = 0;
        int idle = 0;
        for (PoolEntry e : entries) {
            int s = e.state();
            if (s == PoolEntry.IN_USE) {
                active++;
            } else if (s == PoolEntry.IDLE) {
                idle++;
            }
        }
        synchronized (statsLock) {
            waitInterval = waitMicros.getIntervalHistogram(waitInterval);
            holdInterval = holdMicros.getIntervalHistogram(holdInterval);
            waitTotal.add(waitInterval);
            holdTotal.add(holdInterval);
            attributeSamples();
            List<PoolStats.Site> sites = new ArrayList<>();
            siteHolds.forEach((site, s) -> {
                synchronized (s) {
                    sites.add(new PoolStats.Site(site, s[0], s[0] == 0 ? 0 : s[1] / s[0], s[2]));
                }
            });
            sites.sort(Comparator.comparingLong((PoolStats.Site s) -> s.samples() * s.meanHoldMicros()).reversed());
            PoolStats stats = new PoolStats(entries.size(), active, idle, waiting.get(), borrows.sum(), timeouts.sum(),
                    created.sum(), closedConnections.sum(), leaks.sum(), nested.sum(), waitTotal.getValueAtPercentile(50),
                    waitTotal.getValueAtPercentile(99), holdTotal.getValueAtPercentile(50), holdTotal.getValueAtPercentile(99),
                    List.copyOf(sites));
            if (reset) {
                waitTotal.reset();
                holdTotal.reset();
                siteHolds.clear();
            }
            return stats;
        }
    }

    // region timeout-message
    private String timeoutMessage(long waitedNanos) {
        int active = 0;
        int idle = 0;
        List<Holding> holders = new ArrayList<>();
        for (PoolEntry e : entries) {
            int s = e.state();
            if (s == PoolEntry.IN_USE) {
                active++;
                Thread t = e.holder();                   // a copy: the entries keep changing while we sort
                if (t != null) {
                    holders.add(new Holding(t, e.borrowedNanos, e.site));
                }
            } else if (s == PoolEntry.IDLE) {
                idle++;
            }
        }
        long now = coarseNanos;
        holders.sort(Comparator.comparingLong(Holding::since));
        int beingOpened = opening.get();
        StringBuilder sb = new StringBuilder("pool '" + name() + "': no connection within " + waitedNanos / 1_000_000
                + " ms (borrow timeout " + config.borrowTimeout().toMillis() + " ms). The pool has " + entries.size() + " of "
                + config.maxSize() + " connections: " + active + " in use, " + idle + " idle"
                + (beingOpened > 0 ? ", and " + beingOpened + " more being opened that the database has not accepted yet" : "")
                + "; " + waiting.get() + " threads are waiting. ");
        if (!holders.isEmpty()) {
            sb.append("Longest holders:");
            for (Holding h : holders.subList(0, Math.min(3, holders.size()))) {
                StackTraceElement[] site = frames(h.site());
                sb.append("\n\t").append(h.holder().getName()).append(" for ").append((now - h.since()) / 1_000_000)
                        .append(" ms, borrowed at ").append(site != null && site.length > 0 ? site[0].toString() : "(not sampled)");
            }
        }
        String err = lastConnectError;
        if (err != null) {
            sb.append("\nLast error opening a connection: ").append(err);
        }
        return sb.toString();
    }

    private record Holding(Thread holder, long since, Throwable site) {}
    // endregion timeout-message

    // ------------------------------------------------------------------ closing

    /** Closes every connection (in-use ones too, as their holders return them) and stops the pool's threads. */
    @Override
    public void close() {
        closed = true;
        if (ticker != null) {
            LockSupport.unpark(ticker);
        }
        if (housekeeper != null) {
            LockSupport.unpark(housekeeper);
        }
        lock.lock();
        try {
            for (Waiter w : waiters) {
                LockSupport.unpark(w.thread);
            }
        } finally {
            lock.unlock();
        }
        closeAll();
    }

    private void closeAll() {
        for (PoolEntry e : entries) {
            if (e.cas(PoolEntry.IDLE, PoolEntry.REMOVED) || e.state() == PoolEntry.RESERVED) {
                entries.remove(e);
                try {
                    e.connection.close();
                } catch (SQLException ignored) {
                    // closing
                }
            }
        }
    }

    // ------------------------------------------------------------------ DataSource boilerplate

    /** Not supported: the pool's credentials are fixed by its configuration. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("pool '" + name() + "' lends connections of its configured user only");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // events go to PoolConfig.events
    }

    @Override
    public void setLoginTimeout(int seconds) {
        DriverManager.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
        return DriverManager.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("the pool logs through PoolConfig.events");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("pool is not a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    /** For messages: how long {@code d} is, in ms. */
    static long millis(Duration d) {
        return d.toMillis();
    }

    /** For tests: the entries. */
    List<PoolEntry> entries() {
        return entries;
    }

    /** For tests: waits until the pool has no waiter (or the time is up). */
    boolean awaitNoWaiters(long timeout, TimeUnit unit) {
        long end = System.nanoTime() + unit.toNanos(timeout);
        while (waiting.get() > 0 && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        return waiting.get() == 0;
    }
}
