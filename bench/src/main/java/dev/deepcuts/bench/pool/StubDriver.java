package dev.deepcuts.bench.pool;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A JDBC driver whose connections do nothing, so that a benchmark of a pool measures the pool and
 * not the database: {@code jdbc:stub:} URLs ({@code jdbc:stub:bench}, anything after the prefix is
 * a name and ignored) open a {@link StubConnection} at once, with no I/O; its statements "execute"
 * by returning.
 *
 * <p>Registered with {@link DriverManager} when this class is initialised, and listed in
 * {@code META-INF/services/java.sql.Driver}, so any pool that looks a driver up by URL finds it;
 * call {@link #register()} to be sure it is loaded.
 */
public final class StubDriver implements Driver {

    /** The URL prefix this driver accepts. */
    public static final String PREFIX = "jdbc:stub:";

    /** A URL for benchmarks. */
    public static final String URL = PREFIX + "bench";

    private static final StubDriver INSTANCE = new StubDriver();
    private static final AtomicInteger OPEN = new AtomicInteger();
    private static final AtomicInteger OPENED = new AtomicInteger();

    static {
        try {
            DriverManager.registerDriver(INSTANCE);
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Public for {@link java.util.ServiceLoader}; the driver registered is a single shared instance. */
    public StubDriver() {
    }

    /** Makes sure the driver is registered with {@link DriverManager}; returns it. */
    public static StubDriver register() {
        return INSTANCE;
    }

    /** How many stub connections are open now (opened and not yet closed), across all pools. */
    public static int openConnections() {
        return OPEN.get();
    }

    /** How many stub connections were opened since this class was loaded. */
    public static int openedConnections() {
        return OPENED.get();
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null; // JDBC: not ours, let DriverManager try the next driver
        }
        OPEN.incrementAndGet();
        OPENED.incrementAndGet();
        return new StubConnection(url, OPEN::decrementAndGet);
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false; // no SQL at all
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("the stub driver does not log");
    }
}
