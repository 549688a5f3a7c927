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
import dev.deepcuts.pool.PoolConfig;

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
        return List.of(Param.ofInt("poolSize", 10, 10, "connections per application instance (all opened at start)"),
                Param.ofInt("bouncerPoolSize", 20, 20, "PgBouncer's default_pool_size: server connections it may open"),
                Param.ofInt("rounds", 5, 3, "queries (pg_sleep 20 ms) each client connection runs through PgBouncer"));
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
            // region room
            int room = max - used - (superuser ? 0 : reserved);
            int predicted = room / size;
            // endregion room
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
            String verdict = String.format(Locale.ROOT, "%d instances of %d connections started; the next one failed: %s", started, size,
                    failure == null ? "none failed" : "too many clients");
            var binary = PgBouncer.find();
            if (binary.isEmpty()) {
                ctx.log("pgbouncer not found (PATH, /usr/sbin): install it (Debian: apt-get install -y pgbouncer) to also measure "
                        + "transaction pooling; no PgBouncer claims made");
                return b.verdict(verdict).build();
            }
            verdict += throughBouncer(ctx, db, b, binary.get(), size, max);
            return b.verdict(verdict).build();
        }
    }

    /**
     * The same instances, now connected through a private PgBouncer in transaction mode: twice as
     * many client connections as {@code max_connections} allows, all running queries at once, while
     * the server's backends for them are counted; then what transaction pooling breaks.
     */
    private String throughBouncer(LabContext ctx, Database db, LabResult.Builder b, java.nio.file.Path binary, int size, int max)
            throws Exception {
        int bouncerPool = ctx.intParam("bouncerPoolSize");
        int rounds = ctx.intParam("rounds");
        if (bouncerPool < 1 || rounds < 1) {
            throw new UsageException("bouncerPoolSize and rounds must be at least 1, got " + bouncerPool + " and " + rounds);
        }
        int count = 2 * (max / size) + 2;
        int clients = count * size;
        java.nio.file.Path dir = ctx.workDir();
        ctx.log("pgbouncer: %s, transaction pooling, default_pool_size = %d, in %s", binary, bouncerPool, dir);
        int peak;
        int after;
        int opened;
        String setSeen;
        boolean lockShared;
        String setSeenDirect;
        boolean lockSharedDirect;
        try (PgBouncer bouncer = PgBouncer.start(binary, dir, db.url(), bouncerPool, 4 * clients)) {
            // region bouncer
            List<ConnectionPool> instances = new ArrayList<>();
            var sampler = new BackendSampler(db.url());
            try {
                for (int i = 1; i <= count; i++) {
                    instances.add(new ConnectionPool(PoolConfig.builder(bouncer.url(PgBouncer.DATABASE))
                            .maxSize(size).minIdle(size).poolName("bounced-" + i).borrowTimeout(Duration.ofSeconds(30))
                            .events(e -> { }).build()));
                }
                opened = instances.stream().mapToInt(p -> p.stats().total()).sum();
                sampler.start();
                try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                    for (ConnectionPool pool : instances) {
                        for (int k = 0; k < size; k++) {           // every client connection busy at once
                            threads.submit(() -> {
                                for (int r = 0; r < rounds; r++) {
                                    try (Connection c = pool.getConnection(); var st = c.createStatement()) {
                                        st.execute("SELECT pg_sleep(0.02)");
                                    }
                                }
                                return null;
                            });
                        }
                    }
                }
                peak = sampler.stop();
                after = BackendSampler.count(db.url());
            } finally {
                sampler.stop();
                instances.forEach(ConnectionPool::close);
            }
            // endregion bouncer
            setSeen = leakedSetting(bouncer.url(PgBouncer.DEMO));
            lockShared = sharedAdvisoryLock(bouncer.url(PgBouncer.DEMO));
        } finally {
            deleteTree(dir);
        }
        setSeenDirect = leakedSetting(db.url());
        lockSharedDirect = sharedAdvisoryLock(db.url());

        var table = Table.of(String.format(Locale.ROOT, "The same instances through PgBouncer (pool_mode = transaction, default_pool_size "
                + "= %d), every client connection running %d queries of 20 ms at once", bouncerPool, rounds), "measure", "value");
        table.row("instances started (pool of " + size + " each)", count);
        table.row("client connections open to PgBouncer", opened);
        table.row("server's max_connections", max);
        table.row("server backends held by PgBouncer, peak during the load", peak);
        table.row("server backends held by PgBouncer, after the load", after);
        b.table(table);
        var broken = Table.of("What transaction pooling breaks: client A, then client B, on one server connection (PgBouncer pool_size = 1)",
                "session state", "directly to PostgreSQL", "through PgBouncer");
        broken.row("A runs SET deepcuts.marker = 'A'; B reads deepcuts.marker", show(setSeenDirect), show(setSeen));
        broken.row("A holds pg_advisory_lock(42); B calls pg_try_advisory_lock(42)", lockSharedDirect ? "true (acquired)" : "false (A holds it)",
                lockShared ? "true (acquired)" : "false (A holds it)");
        b.table(broken);
        b.metric("bouncer_pool_size", bouncerPool, "connections");
        b.metric("bouncer_instances", count, "instances");
        b.metric("bouncer_clients", opened, "connections");
        b.metric("bouncer_backends_peak", peak, "connections");
        b.metric("bouncer_backends_after", after, "connections");
        b.metric("bouncer_set_leaked", "A".equals(setSeen) ? 1 : 0, "boolean");
        b.metric("bouncer_lock_shared", lockShared ? 1 : 0, "boolean");
        b.claim(String.format(Locale.ROOT, "through PgBouncer %d instances x %d = %d client connections were open, more than max_connections = %d",
                count, size, opened, max), opened == clients && opened > max);
        b.claim(String.format(Locale.ROOT, "with all %d clients querying at once, the server ran %d backends for PgBouncer (peak %d), "
                + "its default_pool_size of %d", opened, after, peak, bouncerPool), peak <= bouncerPool && after == bouncerPool);
        b.claim("in transaction mode a session-level SET by one client is seen by another client (directly: not seen)",
                "A".equals(setSeen) && setSeenDirect == null);
        b.claim("in transaction mode a second client acquires the session-level advisory lock the first one holds (directly: refused)",
                lockShared && !lockSharedDirect);
        return String.format(Locale.ROOT, "; through PgBouncer %d client connections ran on %d server backends", opened, after);
    }

    private static void deleteTree(java.nio.file.Path dir) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(dir)) {
            for (var f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(f);
            }
        }
    }

    private static String show(String setting) {
        return setting == null ? "(not set)" : "'" + setting + "'";
    }

    // region breaks
    /** Client A sets a session variable; client B, a different connection, reads it. */
    private static String leakedSetting(String url) throws SQLException {
        try (Connection a = DriverManager.getConnection(url); Connection b = DriverManager.getConnection(url)) {
            a.createStatement().execute("SET deepcuts.marker = 'A'");          // session-level, autocommit
            try (ResultSet rs = b.createStatement().executeQuery("SELECT current_setting('deepcuts.marker', true)")) {
                rs.next();
                String v = rs.getString(1);
                return v == null || v.isEmpty() ? null : v;
            } finally {
                a.createStatement().execute("RESET deepcuts.marker");
            }
        }
    }

    /** Client A takes a session-level advisory lock; client B tries to take the same one. */
    private static boolean sharedAdvisoryLock(String url) throws SQLException {
        try (Connection a = DriverManager.getConnection(url); Connection b = DriverManager.getConnection(url)) {
            a.createStatement().execute("SELECT pg_advisory_lock(42)");
            try (ResultSet rs = b.createStatement().executeQuery("SELECT pg_try_advisory_lock(42)")) {
                rs.next();
                return rs.getBoolean(1);
            } finally {
                a.createStatement().execute("SELECT pg_advisory_unlock_all()");
                b.createStatement().execute("SELECT pg_advisory_unlock_all()");
            }
        }
    }
    // endregion breaks

    /** Counts, on a direct connection, the server backends PgBouncer holds, sampling every 2 ms in the background. */
    private static final class BackendSampler {
        private final String url;
        private volatile boolean running;
        private Thread thread;
        private int peak;

        BackendSampler(String url) {
            this.url = url;
        }

        static int count(String url) throws SQLException {
            try (Connection c = DriverManager.getConnection(url)) {
                return count(c);
            }
        }

        private static int count(Connection c) throws SQLException {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_stat_activity WHERE backend_type = "
                    + "'client backend' AND application_name = '" + PgBouncer.APPLICATION_NAME + "'")) {
                rs.next();
                return rs.getInt(1);
            }
        }

        void start() {
            running = true;
            thread = Thread.ofPlatform().name("backend-sampler").start(() -> {
                try (Connection c = DriverManager.getConnection(url)) {
                    while (running) {
                        int n = count(c);
                        synchronized (this) {
                            peak = Math.max(peak, n);
                        }
                        Thread.sleep(2);
                    }
                } catch (SQLException | InterruptedException e) {
                    synchronized (this) {
                        peak = Integer.MAX_VALUE;       // a failed sample must not pass for a low count
                    }
                }
            });
        }

        int stop() throws InterruptedException {
            running = false;
            if (thread != null) {
                thread.join();
            }
            synchronized (this) {
                return peak;
            }
        }
    }
}
