package dev.deepcuts.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Exercise 8 of chapter 8 (book/08-connection-pools.md): refuse a borrow that can never be
 * served. When every connection of a full pool is held by a thread that is itself waiting in the
 * pool, nobody will ever return one: the pool is deadlocked, and waiting out the borrow timeout
 * only makes the outage longer. This test passes once {@link ConnectionPool} sees that and fails
 * the borrow at once, saying "pool-locking", while a nested borrow that can still be served keeps
 * waiting. Tagged {@code exercise}: excluded from the default run; run it with
 * {@code ./mvnw -B -pl pool -am verify -Dgroups=exercise -DexcludedGroups= -Dtest=PoolLockingExerciseTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("exercise")
class PoolLockingExerciseTest {

    @Test
    void aBorrowThatCanNeverBeServedFailsAtOnce() throws Exception {
        try (ConnectionPool pool = new ConnectionPool(PoolConfig.builder("jdbc:h2:mem:pool-locking;DB_CLOSE_DELAY=-1").user("sa")
                .maxSize(2).poolName("locking").borrowTimeout(Duration.ofSeconds(20)).events(e -> { }).build())) {
            CyclicBarrier bothHoldOne = new CyclicBarrier(2);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            Runnable task = () -> {
                try (Connection tx = pool.getConnection()) {
                    bothHoldOne.await();
                    try (Connection audit = pool.getConnection()) {  // both ask for a second: none will come back
                        audit.isValid(1);
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            };
            Thread first = Thread.ofPlatform().start(task);
            Thread second = Thread.ofPlatform().start(task);
            first.join(5_000);
            second.join(5_000);
            assertThat(first.isAlive() || second.isAlive())
                    .as("both tasks ended within 5 s, not after the 20 s borrow timeout").isFalse();
            assertThat(failures).as("one of the two borrows was refused, and the other task then finished").hasSize(1);
            assertThat(failures.get(0)).isInstanceOf(SQLException.class).hasMessageContaining("pool-locking");
        }
    }

    @Test
    void aNestedBorrowThatCanStillBeServedWaits() throws Exception {
        try (ConnectionPool pool = new ConnectionPool(PoolConfig.builder("jdbc:h2:mem:pool-locking-ok;DB_CLOSE_DELAY=-1").user("sa")
                .maxSize(2).poolName("locking-ok").borrowTimeout(Duration.ofSeconds(20)).events(e -> { }).build())) {
            Connection other = pool.getConnection();       // held by this thread, which is not waiting yet...
            Thread returner = Thread.ofPlatform().start(() -> {
                try (Connection c = pool.getConnection()) { // ...and by a thread that will give it back
                    Thread.sleep(300);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            while (pool.stats().active() < 2) {
                Thread.onSpinWait();
            }
            try (Connection second = pool.getConnection()) { // nested, but the returner's connection will come
                assertThat(second.isValid(1)).isTrue();
            }
            other.close();
            returner.join();
        }
    }
}
