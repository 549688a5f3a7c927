package dev.deepcuts.pool.lab;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.deepcuts.core.Lab;
import dev.deepcuts.core.LabContext;
import dev.deepcuts.core.LabResult;
import dev.deepcuts.core.Param;
import dev.deepcuts.core.Table;
import dev.deepcuts.core.UsageException;
import dev.deepcuts.pool.ConnectionPool;
import dev.deepcuts.pool.Database;

/**
 * The server's own limit: every application instance brings its own pool, and PostgreSQL runs one
 * backend process per connection up to {@code max_connections}. Instances are started one by one,
 * each with a full pool, until the server says "too many clients". Needs PostgreSQL
 * ({@code DEEPCUTS_PG_URL}); on H2, which has no such limit, it says so and claims nothing.
 */
public final class ServerLimitLab implements Lab {

    @Override
    public String chapter() {
        return "pool";
    }

    @Override
    public String id() {
        return "server-limit";
    }

    @Override
    public String title() {
        return "instances x pool size against PostgreSQL's max_connections";
    }

    @Override
    public List<Param> params() {
        return List.of(Param.ofInt("poolSize", 10, 10, "connections per application instance (all opened at start)"));
    }

    @Override
    public LabResult run(LabContext ctx) throws Exception {
        int size = ctx.intParam("poolSize");
        if (size < 1) {
            throw new UsageException("poolSize must be at least 1, got " + size);
        }
        var b = LabResult.builder();
        try (Database db = Database.fromEnvironment()) {
            ctx.log("database: %s", db.describe());
            if (!db.isPostgres()) {
                ctx.log("H2 has no server-side connection limit: this lab needs PostgreSQL (set %s); nothing to measure", Database.ENV);
                return b.verdict("skipped: needs PostgreSQL (" + Database.ENV + ")").build();
            }
            int max;
            int reserved;
            int used;
            try (Connection c = DriverManager.getConnection(db.url());
                 ResultSet rs = c.createStatement().executeQuery("SELECT current_setting('max_connections')::int, "
                         + "current_setting('superuser_reserved_connections')::int, (SELECT count(*) FROM pg_stat_activity "
                         + "WHERE backend_type = 'client backend')")) {
                rs.next();
                max = rs.getInt(1);
                reserved = rs.getInt(2);
                used = rs.getInt(3) - 1;                      // not counting this connection
            }
            boolean superuser;
            try (Connection c = DriverManager.getConnection(db.url());
                 ResultSet rs = c.createStatement().executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
                rs.next();
                superuser = rs.getBoolean(1);
            }
            int room = max - used - (superuser ? 0 : reserved);
            int predicted = room / size;
            var table = Table.of(String.format(Locale.ROOT, "Instances with a pool of %d each, against max_connections = %d (%d reserved for "
                    + "superusers; %d other connections open)", size, max, reserved, used), "instance", "connections to the server", "result");
            List<ConnectionPool> instances = new ArrayList<>();
            int started = 0;
            String failure = null;
            // region instances
            try {
                for (int i = 1; i <= predicted + 2 && failure == null; i++) {
                    try {
                        instances.add(new ConnectionPool(db.pool().maxSize(size).minIdle(size).poolName("instance-" + i)
                                .borrowTimeout(Duration.ofSeconds(5)).events(e -> { }).build()));
                        started++;
                        table.row(i, started * size, "started");
                    } catch (SQLException e) {
                        failure = e.getMessage();
                        table.row(i, started * size + "+", "FAILED: " + e.getMessage().replaceAll("\\s+", " "));
                    }
                }
            } finally {
                instances.forEach(ConnectionPool::close);
            }
            // endregion instances
            b.table(table);
            b.metric("max_connections", max, "connections");
            b.metric("started", started, "instances");
            b.metric("predicted", predicted, "instances");
            b.claim(String.format(Locale.ROOT, "instance %d could not start: %d instances x %d connections is all the server allows "
                    + "(predicted %d from max_connections)", started + 1, started, size, predicted),
                    failure != null && failure.contains("too many clients") && started == predicted);
            return b.verdict(String.format(Locale.ROOT, "%d instances of %d connections started; the next one failed: %s", started, size,
                    failure == null ? "none failed" : "too many clients")).build();
        }
    }
}
