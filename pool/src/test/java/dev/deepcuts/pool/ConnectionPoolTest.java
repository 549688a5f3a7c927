package dev.deepcuts.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
