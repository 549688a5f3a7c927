package dev.deepcuts.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionPoolTest {

    private static final AtomicInteger DBS = new AtomicInteger();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private ConnectionPool pool;

    private PoolConfig.Builder config(int size) {
        return PoolConfig.builder("jdbc:h2:mem:pool" + DBS.incrementAndGet() + ";DB_CLOSE_DELAY=-1")
                .user("sa").maxSize(size).poolName("test").events(events::add);
    }

    private ConnectionPool open(PoolConfig.Builder b) throws SQLException {
        pool = new ConnectionPool(b.build());
        return pool;
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void aClosedProxyRefusesEveryCallAndClosingTwiceIsHarmless() throws SQLException {
        open(config(2));
        Connection c = pool.getConnection();
        c.createStatement().execute("CREATE TABLE t(x INT)");
        c.close();
        c.close();
        assertThat(c.isClosed()).isTrue();
        assertThatThrownBy(c::createStatement).isInstanceOf(SQLException.class)
                .hasMessageContaining("went back to pool 'test'");
    }

    @Test
    void returnUndoesWhatTheBorrowerChanged() throws SQLException {
        open(config(1));
        try (Connection c = pool.getConnection()) {
            c.createStatement().execute("CREATE TABLE t(x INT)");
        }
        Statement leftOpen;
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            c.setReadOnly(false);
            c.createStatement().execute("INSERT INTO t VALUES (1)");   // never committed
            leftOpen = c.createStatement();
        }
        assertThat(leftOpen.isClosed()).as("statements left open are closed on return").isTrue();
        try (Connection c = pool.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
            rs.next();
            assertThat(rs.getInt(1)).as("the open transaction was rolled back").isZero();
        }
    }

    // region timeout-test
    @Test
    void aTimeoutSaysWhoHoldsTheConnections() throws Exception {
        open(config(2).borrowTimeout(Duration.ofMillis(150)).siteSampling(1));
        Connection a = pool.getConnection();
        Connection b = pool.getConnection();
        assertThatThrownBy(pool::getConnection).isInstanceOf(PoolTimeoutException.class)
                .hasMessageContaining("2 of 2 connections: 2 in use, 0 idle")
                .hasMessageContaining("Longest holders")
                .hasMessageContaining(Thread.currentThread().getName())
                .hasMessageContaining("ConnectionPoolTest.aTimeoutSaysWhoHoldsTheConnections");
        assertThat(pool.stats().timeouts()).isEqualTo(1);
        a.close();
        b.close();
    }
    // endregion timeout-test

    // region fifo-test
    @Test
    void waitersAreServedInTheOrderTheyArrived() throws Exception {
        open(config(1).borrowTimeout(Duration.ofSeconds(10)));
        Connection held = pool.getConnection();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int me = i;
            threads.add(Thread.ofPlatform().start(() -> {
                try (Connection c = pool.getConnection()) {
                    order.add(me);
                } catch (SQLException e) {
                    order.add(-1);
                }
            }));
            while (pool.stats().waiting() < i + 1) {
                Thread.onSpinWait();                  // thread i is queued before thread i+1 starts
            }
        }
        held.close();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(order).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }
    // endregion fifo-test

    @Test
    void aConnectionHeldTooLongIsReportedWithWhereItWasBorrowed() throws Exception {
        open(config(2).leakThreshold(Duration.ofMillis(50)).siteSampling(1));
        try (Connection c = pool.getConnection()) {
            Thread.sleep(120);
            pool.housekeepOnce();
        }
        assertThat(events).anySatisfy(e -> assertThat(e).contains("held for").contains("leak threshold 50 ms")
                .contains("ConnectionPoolTest.aConnectionHeldTooLongIsReportedWithWhereItWasBorrowed"));
        assertThat(pool.stats().leaks()).isEqualTo(1);
    }

    @Test
    void aConnectionHeldPastReclaimIsTakenBackAndItsProxyRefused() throws Exception {
        open(config(1).reclaimAfter(Duration.ofMillis(50)).borrowTimeout(Duration.ofSeconds(5)));
        Connection c = pool.getConnection();
        Thread.sleep(120);
        pool.housekeepOnce();
        assertThatThrownBy(c::createStatement).hasMessageContaining("reclaimed");
        try (Connection again = pool.getConnection()) {
            assertThat(again.isValid(1)).isTrue();
        }
        c.close();
    }

    @Test
    void aThreadBorrowingASecondConnectionIsFlagged() throws SQLException {
        open(config(2));
        try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
            assertThat(b).isNotNull();
        }
        assertThat(pool.stats().nestedBorrows()).isEqualTo(1);
        assertThat(events).anySatisfy(e -> assertThat(e).contains("borrows a second connection while holding one")
                .contains("aThreadBorrowingASecondConnectionIsFlagged"));
    }

    @Test
    void aBrokenConnectionIsEvictedAndReplaced() throws SQLException {
        open(config(1));
        Connection c = pool.getConnection();
        c.abort(Runnable::run);
        try (Connection d = pool.getConnection()) {
            assertThat(d.isValid(1)).isTrue();
        }
        assertThat(pool.stats().closed()).isEqualTo(1);
        assertThat(pool.stats().created()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ the housekeeper and a borrow in flight

    // region unpublished-test
    @Test
    void theHousekeeperIgnoresABorrowThatIsNotPublishedYet() throws Exception {
        open(config(1).leakThreshold(Duration.ofMillis(50)).reclaimAfter(Duration.ofMillis(100)));
        try (Connection c = pool.getConnection()) {
            c.isValid(1);
        }
        PoolEntry e = pool.entries().getFirst();
        e.borrowedNanos = System.nanoTime() - Duration.ofHours(1).toNanos();   // the previous borrow, long ago
        assertThat(e.cas(PoolEntry.IDLE, PoolEntry.IN_USE)).isTrue();          // a borrower between its CAS and publish()
        pool.housekeepOnce();
        assertThat(events).as("no leak report from the previous borrow's time").isEmpty();
        assertThat(e.reclaimed).as("not reclaimed under the borrower").isFalse();
        assertThat(e.state()).isEqualTo(PoolEntry.IN_USE);
        e.publish(Thread.currentThread(), System.nanoTime(), null);            // the borrower catches up
        pool.housekeepOnce();
        assertThat(events).isEmpty();
        assertThat(e.reclaimed).isFalse();
    }
    // endregion unpublished-test

    @Test
    void aReclaimThatLosesTheRaceToAReturnLeavesTheNextBorrowAlone() throws Exception {
        open(config(1).reclaimAfter(Duration.ofMillis(100)).borrowTimeout(Duration.ofSeconds(5)));
        Connection first = pool.getConnection();
        PoolEntry e = pool.entries().getFirst();
        long longAgo = System.nanoTime() - Duration.ofHours(1).toNanos();
        e.publish(Thread.currentThread(), longAgo, null);                     // what the housekeeper read: held an hour
        Thread seen = e.holder();
        first.close();                                                        // ...but it was given back
        try (Connection next = pool.getConnection()) {                        // and lent again, to the same thread
            assertThat(pool.reclaim(e, seen, longAgo)).as("the housekeeper's late CAS must not take the new borrow").isFalse();
            assertThat(e.state()).isEqualTo(PoolEntry.IN_USE);
            assertThat(next.isValid(1)).isTrue();
        }
        assertThat(pool.stats().closed()).isZero();
        assertThat(e.state()).isEqualTo(PoolEntry.IDLE);
    }

    @Test
    void aReclaimedConnectionIsNotPutBackByItsLateReturn() throws Exception {
        open(config(1).reclaimAfter(Duration.ofMillis(100)).borrowTimeout(Duration.ofSeconds(5)));
        Connection leaked = pool.getConnection();
        PoolEntry e = pool.entries().getFirst();
        assertThat(pool.reclaim(e, e.holder(), e.borrowedNanos)).isTrue();
        leaked.close();                                                       // the holder comes back after all
        assertThat(e.state()).isEqualTo(PoolEntry.REMOVED);
        try (Connection again = pool.getConnection()) {
            assertThat(again.isValid(1)).isTrue();
        }
        assertThat(pool.stats().closed()).isEqualTo(1);
        assertThat(pool.stats().total()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ opening connections against the deadline

    // region deadline-test
    @Test
    void aBorrowThatNeedsANewConnectionStillEndsAtItsDeadline() throws Exception {
        pool = new ConnectionPool(PoolConfig.builder(GatedDriver.url("gated" + DBS.incrementAndGet())).user("sa")
                .maxSize(2).minIdle(0).borrowTimeout(Duration.ofMillis(200)).poolName("test").events(events::add).build());
        Connection held = pool.getConnection();
        GatedDriver.shut();                                   // the database stops accepting connections
        try (var exec = Executors.newSingleThreadExecutor()) {
            Future<Throwable> borrow = exec.submit(() -> {
                try (Connection c = pool.getConnection()) {
                    return null;
                } catch (SQLException ex) {
                    return ex;
                }
            });
            Throwable failure = borrow.get(60, TimeUnit.SECONDS);  // not the deadline: only a bound on a hang
            assertThat(failure).isInstanceOf(PoolTimeoutException.class)
                    .hasMessageContaining("borrow timeout 200 ms")
                    .hasMessageContaining("1 more being opened that the database has not accepted yet");
        } finally {
            GatedDriver.open();
        }
        while (pool.stats().total() < 2) {
            Thread.onSpinWait();                              // the late connection arrives and joins the pool
        }
        try (Connection c = pool.getConnection()) {
            assertThat(c.isValid(1)).isTrue();
        }
        held.close();
        assertThat(pool.stats().created()).isEqualTo(2);
    }
    // endregion deadline-test

    @Test
    void returningABrokenConnectionDoesNotWaitForItsReplacement() throws Exception {
        pool = new ConnectionPool(PoolConfig.builder(GatedDriver.url("gated" + DBS.incrementAndGet())).user("sa")
                .maxSize(1).borrowTimeout(Duration.ofSeconds(60)).poolName("test").events(events::add).build());
        Connection broken = pool.getConnection();
        try (var exec = Executors.newFixedThreadPool(2)) {
            Future<Boolean> waiter = exec.submit(() -> {
                try (Connection c = pool.getConnection()) {
                    return c.isValid(1);
                }
            });
            while (pool.stats().waiting() < 1) {
                Thread.onSpinWait();
            }
            GatedDriver.shut();
            try {
                Future<?> abort = exec.submit(() -> {
                    broken.abort(Runnable::run);              // retired; its replacement cannot be opened yet
                    return null;
                });
                abort.get(60, TimeUnit.SECONDS);                  // returned: before the fix it hung at the gate
                while (GatedDriver.blocked() < 1) {
                    Thread.onSpinWait();                          // the replacement is opened by a thread of its own
                }
                assertThat(waiter.isDone()).isFalse();
            } finally {
                GatedDriver.open();
            }
            assertThat(waiter.get(60, TimeUnit.SECONDS)).as("the replacement went to the waiter").isTrue();
        }
    }

    // ------------------------------------------------------------------ the pool-locking warning

    @Test
    void aPoolLockingWarningIsLoggedOncePerCallSiteThenAtEachPowerOfTen() throws SQLException {
        open(config(4));
        for (int i = 0; i < 1000; i++) {
            auditInsideTransaction();                         // one call site, a thousand times
        }
        reportInsideTransaction();                            // a second call site, once
        assertThat(pool.stats().nestedBorrows()).as("every nested borrow is counted").isEqualTo(1001);
        List<String> warnings = events.stream().filter(e -> e.contains("borrows a second connection")).toList();
        assertThat(warnings.stream().filter(w -> w.contains("auditInsideTransaction")).toList())
                .as("the hot line: its 1st, 10th, 100th and 1000th nested borrow").hasSize(4)
                .anySatisfy(w -> assertThat(w).contains("Nested borrow number 1 from this line"))
                .anySatisfy(w -> assertThat(w).contains("Nested borrow number 1000 from this line"));
        assertThat(warnings.stream().filter(w -> w.contains("reportInsideTransaction")).toList()).hasSize(1);
    }

    private void auditInsideTransaction() throws SQLException {
        try (Connection tx = pool.getConnection(); Connection audit = pool.getConnection()) {
            audit.isValid(1);
            tx.isValid(1);
        }
    }

    private void reportInsideTransaction() throws SQLException {
        try (Connection tx = pool.getConnection(); Connection report = pool.getConnection()) {
            report.isValid(1);
            tx.isValid(1);
        }
    }

    // ------------------------------------------------------------------ stats

    @Test
    void statsReadsWithoutResettingAndSnapshotAndResetStartsAfresh() throws Exception {
        open(config(1).siteSampling(1));
        try (Connection c = pool.getConnection()) {
            Thread.sleep(20);
            pool.housekeepOnce();                             // moves the coarse clock on: the hold is at least 20 ms
        }
        PoolStats first = pool.stats();
        assertThat(first.holdP50Micros()).isGreaterThanOrEqualTo(20_000);
        assertThat(first.sites()).hasSize(1);
        PoolStats second = pool.stats();
        assertThat(second.holdP50Micros()).as("reading the stats does not reset them").isEqualTo(first.holdP50Micros());
        assertThat(second.sites()).isEqualTo(first.sites());
        PoolStats snapshot = pool.snapshotAndReset();
        assertThat(snapshot.holdP99Micros()).isEqualTo(first.holdP99Micros());
        PoolStats after = pool.stats();
        assertThat(after.holdP50Micros()).as("percentiles start afresh").isZero();
        assertThat(after.sites()).isEmpty();
        assertThat(after.borrows()).as("counters keep counting").isEqualTo(1);
    }

    // ------------------------------------------------------------------ retired connections are not retained

    @Test
    void aRetiredConnectionIsNotKeptAliveByTheThreadThatUsedItLast() throws Exception {
        open(config(1));
        CountDownLatch done = new CountDownLatch(1);
        var retired = new java.util.concurrent.CompletableFuture<WeakReference<PoolEntry>>();
        Thread user = Thread.ofPlatform().start(() -> {
            try {
                retired.complete(useAndBreak());              // this thread's last connection is retired...
                done.await();                                 // ...and the thread lives on, borrowing nothing more
            } catch (Exception e) {
                retired.completeExceptionally(e);
            }
        });
        WeakReference<PoolEntry> entry = retired.get(60, TimeUnit.SECONDS);
        try {
            for (int i = 0; i < 50 && entry.get() != null; i++) {
                System.gc();
                Thread.sleep(10);
            }
            assertThat(entry.get()).as("the retired connection was collected, though its last user is alive").isNull();
        } finally {
            done.countDown();
            user.join();
        }
    }

    /** Borrows, breaks and returns a connection (the pool retires it); returns a weak reference to its entry. */
    private WeakReference<PoolEntry> useAndBreak() throws SQLException {
        Connection c = pool.getConnection();
        WeakReference<PoolEntry> entry = new WeakReference<>(((ProxyConnection) c).entry);
        c.abort(Runnable::run);
        return entry;
    }

    @Test
    void startingAgainstADatabaseThatIsNotThereFailsFastAndSaysWhere() {
        assertThatThrownBy(() -> new ConnectionPool(PoolConfig.builder("jdbc:h2:tcp://localhost:1/nothing;password=secret")
                .maxSize(2).build()))
                .isInstanceOf(SQLException.class).hasMessageContaining("cannot start").hasMessageContaining("localhost:1")
                .hasMessageNotContaining("secret");
    }

    @Test
    void tenThousandVirtualThreadsShareTenConnections() throws Exception {
        open(config(10).borrowTimeout(Duration.ofSeconds(60)));
        AtomicInteger done = new AtomicInteger();
        try (var exec = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < 10_000; i++) {
                fs.add(exec.submit(() -> {
                    go.await();
                    try (Connection c = pool.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
                        rs.next();
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : fs) {
                f.get();
            }
        }
        assertThat(done.get()).isEqualTo(10_000);
        PoolStats s = pool.stats();
        assertThat(s.timeouts()).isZero();
        assertThat(s.total()).isLessThanOrEqualTo(10);
        assertThat(s.borrows()).isEqualTo(10_000);
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> PoolConfig.builder("postgres://x").build()).hasMessageContaining("jdbcUrl");
        assertThatThrownBy(() -> config(0).build()).hasMessageContaining("maxSize must be at least 1, got 0");
        assertThatThrownBy(() -> config(2).minIdle(3).build()).hasMessageContaining("minIdle (3)");
        assertThatThrownBy(() -> config(2).borrowTimeout(Duration.ZERO).build()).hasMessageContaining("borrowTimeout");
        assertThatThrownBy(() -> config(2).siteSampling(3).build()).hasMessageContaining("siteSampling");
    }
}
