package dev.deepcuts.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pool against a real PostgreSQL: runs when DEEPCUTS_PG_URL is set (CI sets it), skipped otherwise. */
class PostgresPoolTest {

    static Database db;

    @BeforeAll
    static void database() throws SQLException {
        String url = System.getenv(Database.ENV);
        Assumptions.assumeTrue(url != null && !url.isBlank(), Database.ENV + " is not set: PostgreSQL tests skipped");
        db = Database.postgres(url);
    }

    // region pg-reset
    @Test
    void borrowsAndResetsAgainstPostgres() throws SQLException {
        try (ConnectionPool pool = new ConnectionPool(db.pool().maxSize(2).poolName("pg").build())) {
            int backend;
            try (Connection c = pool.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                backend = rs.getInt(1);
                c.setAutoCommit(false);
                c.createStatement().execute("SET LOCAL statement_timeout = '1s'");
            }
            try (Connection c = pool.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT pg_backend_pid(), current_setting('statement_timeout')")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the same backend process: the connection was reused").isEqualTo(backend);
                assertThat(rs.getString(2)).as("the transaction was rolled back, SET LOCAL with it").isEqualTo("0");
                assertThat(c.getAutoCommit()).isTrue();
            }
        }
    }
    // endregion pg-reset

    @Test
    void aBackendTerminatedInAQueryIsRetiredNotLentAgain() throws SQLException {
        try (ConnectionPool pool = new ConnectionPool(db.pool().maxSize(1).poolName("pg-kill").events(e -> { }).build())) {
            int killed;
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                killed = pid(st);
                assertThatThrownBy(() -> st.execute("SELECT pg_terminate_backend(pg_backend_pid())"))
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("57P01", "08006"));
                assertThat(((ProxyConnection) c).broken).as("noticed at the failure itself, not only if the reset fails").isTrue();
            }
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                assertThat(pid(st)).as("a new backend: the dead connection was not lent again").isNotEqualTo(killed);
            }
            assertThat(pool.stats().closed()).isEqualTo(1);
        }
    }

    private static int pid(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void theServersConnectionLimitIsNamedWhenThePoolCannotStart() throws SQLException {
        int max;
        try (Connection c = java.sql.DriverManager.getConnection(db.url()); ResultSet rs = c.createStatement().executeQuery("SHOW max_connections")) {
            rs.next();
            max = rs.getInt(1);
        }
        assertThatThrownBy(() -> new ConnectionPool(db.pool().maxSize(max + 10).minIdle(max + 10)
                .borrowTimeout(Duration.ofSeconds(5)).build()).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("cannot start").hasMessageContaining("too many clients");
    }
}
