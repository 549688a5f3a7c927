package dev.deepcuts.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Exercise 6 of chapter 8 (book/08-connection-pools.md): validate a connection that has sat idle
 * before lending it. A connection the network or the server dropped while it was idle is found out
 * by the borrower's first query today, or minutes later by the keepalive. This test passes once
 * {@link ConnectionPool} checks a connection idle for more than half a second before lending it (as
 * HikariCP does), and lends another one instead of a dead one. Tagged {@code exercise}: excluded
 * from the default run; run it with
 * {@code ./mvnw -B -pl pool -am verify -Dgroups=exercise -DexcludedGroups= -Dtest=ValidateBeforeLendingExerciseTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("exercise")
class ValidateBeforeLendingExerciseTest {

    @Test
    void aConnectionThatDiedWhileIdleIsNotLent() throws Exception {
        try (ConnectionPool pool = new ConnectionPool(PoolConfig.builder("jdbc:h2:mem:validate;DB_CLOSE_DELAY=-1").user("sa")
                .maxSize(1).poolName("validate").events(e -> { }).build())) {
            JdbcConnection physical;
            try (Connection c = pool.getConnection()) {
                physical = c.unwrap(JdbcConnection.class);
            }
            physical.close();                             // dropped while idle, as by a firewall or a server restart
            Thread.sleep(600);                            // idle for longer than half a second
            try (Connection c = pool.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            } catch (SQLException e) {
                throw new AssertionError("the pool lent a connection that died while idle: " + e.getMessage(), e);
            }
            assertThat(pool.stats().closed()).as("the dead connection was retired").isEqualTo(1);
        }
    }
}
