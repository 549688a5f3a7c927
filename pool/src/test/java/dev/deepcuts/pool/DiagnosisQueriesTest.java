package dev.deepcuts.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.deepcuts.core.book.Regions;

/**
 * The diagnosis queries of chapter 8 ({@code diagnose.sql}), run against a real PostgreSQL while one
 * session holds a row lock in an open transaction and another waits for it: each query must show
 * what the chapter says it shows. Runs when DEEPCUTS_PG_URL is set (CI sets it), skipped otherwise.
 */
class DiagnosisQueriesTest {

    static String url;
    static Map<String, String> queries;

    @BeforeAll
    static void database() throws IOException {
        url = System.getenv(Database.ENV);
        Assumptions.assumeTrue(url != null && !url.isBlank(), Database.ENV + " is not set: PostgreSQL tests skipped");
        try (InputStream in = DiagnosisQueriesTest.class.getResourceAsStream("diagnose.sql")) {
            queries = Regions.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)).regions();
        }
    }

    @Test
    void theQueriesShowTheHolderTheWaiterAndTheCounts() throws Exception {
        String table = "diagnosis_" + ProcessHandle.current().pid();
        try (Connection setup = DriverManager.getConnection(url)) {
            setup.createStatement().execute("CREATE TABLE " + table + " (id int PRIMARY KEY, n int)");
            setup.createStatement().execute("INSERT INTO " + table + " VALUES (1, 0)");
        }
        try (Connection holder = DriverManager.getConnection(url); Connection waiter = DriverManager.getConnection(url);
             Connection diagnosis = DriverManager.getConnection(url)) {
            int holderPid = pid(holder);
            int waiterPid = pid(waiter);
            holder.setAutoCommit(false);
            holder.createStatement().execute("UPDATE " + table + " SET n = n + 1 WHERE id = 1");   // holds the row lock, then idles
            CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
                try (Statement s = waiter.createStatement()) {
                    s.execute("UPDATE " + table + " SET n = n + 1 WHERE id = 1");               // waits for the holder
                } catch (SQLException e) {
                    throw new RuntimeException(e);
                }
            });
            List<Map<String, String>> blockers = List.of();
            for (int i = 0; i < 100 && blockers.stream().noneMatch(r -> r.get("blocked_pid").equals(String.valueOf(waiterPid))); i++) {
                Thread.sleep(50);
                blockers = run(diagnosis, queries.get("blockers"));
            }
            assertThat(blockers).as("the waiter is shown blocked by the holder")
                    .anySatisfy(r -> {
                        assertThat(r.get("blocked_pid")).isEqualTo(String.valueOf(waiterPid));
                        assertThat(r.get("blocking_pid")).isEqualTo(String.valueOf(holderPid));
                        assertThat(r.get("blocking_state")).isEqualTo("idle in transaction");
                    });
            assertThat(run(diagnosis, queries.get("longest"))).as("both show up among the busy sessions, the holder idle in its transaction")
                    .anySatisfy(r -> {
                        assertThat(r.get("pid")).isEqualTo(String.valueOf(holderPid));
                        assertThat(r.get("state")).isEqualTo("idle in transaction");
                    })
                    .anySatisfy(r -> {
                        assertThat(r.get("pid")).isEqualTo(String.valueOf(waiterPid));
                        assertThat(r.get("wait_event_type")).isEqualTo("Lock");
                    });
            assertThat(run(diagnosis, queries.get("by-state"))).as("the counts include both states, against max_connections")
                    .anySatisfy(r -> assertThat(r.get("state")).isEqualTo("idle in transaction"))
                    .anySatisfy(r -> assertThat(r.get("state")).isEqualTo("active"))
                    .allSatisfy(r -> assertThat(Integer.parseInt(r.get("max_connections"))).isPositive());
            holder.rollback();
            blocked.get(10, TimeUnit.SECONDS);
        } finally {
            try (Connection cleanup = DriverManager.getConnection(url)) {
                cleanup.createStatement().execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    private static int pid(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Runs one query and returns its rows as column name to text. */
    private static List<Map<String, String>> run(Connection c, String sql) throws SQLException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.strip().replaceAll(";$", ""))) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, String> row = new HashMap<>();
                for (int i = 1; i <= n; i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
