package dev.deepcuts.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Exercise 6 of chapter 8 (book/08-connection-pools.md): one pool-locking warning per call site.
 * The pool warns on every nested borrow, so a hot code path that borrows a second connection
 * floods the log. This test passes once {@link ConnectionPool} warns once per call site while
 * still counting every nested borrow. Tagged {@code exercise}: excluded from the default run; run it with
 * {@code ./mvnw -B -pl pool -am verify -Dgroups=exercise -DexcludedGroups= -Dtest=NestedWarningOnceExerciseTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("exercise")
class NestedWarningOnceExerciseTest {

    @Test
    void aPoolLockingWarningIsLoggedOncePerCallSite() throws SQLException {
        List<String> events = new CopyOnWriteArrayList<>();
        try (ConnectionPool pool = new ConnectionPool(PoolConfig.builder("jdbc:h2:mem:nested-once;DB_CLOSE_DELAY=-1").user("sa")
                .maxSize(4).poolName("nested").events(events::add).build())) {
            for (int i = 0; i < 100; i++) {
                auditInsideTransaction(pool);             // one call site, a hundred times
            }
            reportInsideTransaction(pool);                // a second call site, once
            assertThat(pool.stats().nestedBorrows()).as("every nested borrow is still counted").isEqualTo(101);
            assertThat(events.stream().filter(e -> e.contains("borrows a second connection")).toList())
                    .as("one warning per call site").hasSize(2)
                    .anySatisfy(e -> assertThat(e).contains("auditInsideTransaction"))
                    .anySatisfy(e -> assertThat(e).contains("reportInsideTransaction"));
        }
    }

    private static void auditInsideTransaction(ConnectionPool pool) throws SQLException {
        try (Connection tx = pool.getConnection()) {
            try (Connection audit = pool.getConnection()) {
                audit.isValid(1);
            }
            tx.isValid(1);
        }
    }

    private static void reportInsideTransaction(ConnectionPool pool) throws SQLException {
        try (Connection tx = pool.getConnection()) {
            try (Connection report = pool.getConnection()) {
                report.isValid(1);
            }
            tx.isValid(1);
        }
    }
}
