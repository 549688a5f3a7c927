package dev.deepcuts.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Exercise 7 of chapter 8 (book/08-connection-pools.md): fail fast when the wait cannot fit in the
 * borrow timeout. With k threads already waiting for P connections that are each held about h, a
 * new borrower will wait about (k / P + 1) × h; when that is longer than its borrow timeout, queueing
 * only delays the failure and keeps a thread busy doing nothing. This test passes once
 * {@link ConnectionPool} refuses such a borrower at once while still queueing the ones that can be
 * served in time. Tagged {@code exercise}: excluded from the default run; run it with
 * {@code ./mvnw -B -pl pool -am verify -Dgroups=exercise -DexcludedGroups= -Dtest=FailFastExerciseTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("exercise")
class FailFastExerciseTest {

    @Test
    void aBorrowThatCannotBeServedWithinItsTimeoutIsRefusedAtOnce() throws Exception {
        try (ConnectionPool pool = new ConnectionPool(PoolConfig.builder("jdbc:h2:mem:fail-fast;DB_CLOSE_DELAY=-1").user("sa")
                .maxSize(2).poolName("fail-fast").borrowTimeout(Duration.ofSeconds(1)).events(e -> { }).build())) {
            for (int i = 0; i < 4; i++) {                 // the pool learns that a connection is held about 300 ms
                try (Connection c = pool.getConnection()) {
                    Thread.sleep(300);
                }
            }
            Connection a = pool.getConnection();          // now both connections are busy
            Connection b = pool.getConnection();
            AtomicInteger served = new AtomicInteger();
            AtomicInteger refusedAtOnce = new AtomicInteger();
            AtomicInteger timedOut = new AtomicInteger();
            List<Thread> waiters = new ArrayList<>();
            int queuedBeforeFirstRefusal = 0;
            for (int i = 0; i < 12 && refusedAtOnce.get() == 0; i++) {
                Thread t = Thread.ofPlatform().start(() -> {
                    long t0 = System.nanoTime();
                    try (Connection c = pool.getConnection()) {
                        served.incrementAndGet();
                    } catch (SQLTransientConnectionException e) {
                        (System.nanoTime() - t0 < Duration.ofMillis(200).toNanos() ? refusedAtOnce : timedOut).incrementAndGet();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                waiters.add(t);
                long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (t.isAlive() && t.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
                    Thread.onSpinWait();                  // until it parks in the queue or is turned away
                }
                if (t.isAlive()) {
                    queuedBeforeFirstRefusal++;
                }
            }
            assertThat(refusedAtOnce.get()).as("with connections held ~300 ms, a borrower with a dozen others ahead of it cannot be "
                    + "served within its 1 s timeout: it must be refused at once").isPositive();
            assertThat(queuedBeforeFirstRefusal).as("a borrower that can be served in time still waits").isGreaterThanOrEqualTo(2);
            a.close();
            b.close();
            for (Thread t : waiters) {
                t.join(5_000);
            }
            assertThat(served.get()).as("everyone who was let into the queue is served").isEqualTo(queuedBeforeFirstRefusal);
            assertThat(timedOut.get()).isZero();
        }
    }
}
