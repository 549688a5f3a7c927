package dev.deepcuts.pool;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.h2.tools.Server;

/**
 * The database the labs and tests run against: PostgreSQL when the environment variable
 * {@code DEEPCUTS_PG_URL} names one (for example
 * {@code jdbc:postgresql://localhost:5432/postgres?user=postgres&password=secret}), otherwise an
 * embedded H2 started in server mode on a free local port, so that connections are real TCP
 * sockets. {@link #describe()} says which one runs.
 */
public final class Database implements AutoCloseable {

    /** The environment variable naming a PostgreSQL JDBC URL. */
    public static final String ENV = "DEEPCUTS_PG_URL";

    private final String url;
    private final String description;
    private final Server h2;
    private final boolean postgres;

    private Database(String url, String description, Server h2, boolean postgres) {
        this.url = url;
        this.description = description;
        this.h2 = h2;
        this.postgres = postgres;
    }

    /** PostgreSQL if {@value #ENV} is set, else H2 in server mode. */
    public static Database fromEnvironment() throws SQLException {
        String pg = System.getenv(ENV);
        if (pg != null && !pg.isBlank()) {
            return postgres(pg);
        }
        return h2();
    }

    /** The PostgreSQL at {@code url}; checks that it answers. */
    public static Database postgres(String url) throws SQLException {
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new SQLException(ENV + " must be a jdbc:postgresql: URL, got " + url.replaceAll("(?i)(password=)[^&]*", "$1***"));
        }
        try (Connection c = DriverManager.getConnection(url)) {
            String version = c.getMetaData().getDatabaseProductVersion();
            return new Database(url, "PostgreSQL " + version + " (" + ENV + ")", null, true);
        } catch (SQLException e) {
            throw new SQLException("cannot reach the PostgreSQL named by " + ENV + ": " + e.getMessage(), e.getSQLState(), e);
        }
    }

    /** An in-memory H2 database served over TCP on a free local port. */
    public static Database h2() throws SQLException {
        Server server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        String url = "jdbc:h2:tcp://localhost:" + server.getPort() + "/mem:deepcuts;DB_CLOSE_DELAY=-1";
        return new Database(url, "embedded H2 in server mode on port " + server.getPort() + " (set " + ENV
                + " to run against PostgreSQL)", server, false);
    }

    /** The JDBC URL (user and password included for PostgreSQL; H2's default user for H2). */
    public String url() {
        return url;
    }

    /** A pool configuration builder for this database. */
    public PoolConfig.Builder pool() {
        PoolConfig.Builder b = PoolConfig.builder(url);
        return postgres ? b : b.user("sa");
    }

    /** Which database this is, in words. */
    public String describe() {
        return description;
    }

    /** Whether it is PostgreSQL. */
    public boolean isPostgres() {
        return postgres;
    }

    /** Stops the H2 server, if this started one. */
    @Override
    public void close() {
        if (h2 != null) {
            h2.stop();
        }
    }
}
