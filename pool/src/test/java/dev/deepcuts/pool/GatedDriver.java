package dev.deepcuts.pool;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A test driver for a database that stops accepting connections on command: {@code jdbc:gated:h2:...}
 * opens {@code jdbc:h2:...}, but only while the gate is open; while it is shut, a connect blocks until
 * it opens again. No timing involved: tests shut and open the gate.
 */
final class GatedDriver implements Driver {

    static final String PREFIX = "jdbc:gated:";
    private static volatile CountDownLatch gate = new CountDownLatch(0);
    private static final AtomicInteger blocked = new AtomicInteger();

    static {
        try {
            DriverManager.registerDriver(new GatedDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A gated URL for an in-memory H2 database. */
    static String url(String name) {
        return PREFIX + "h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
    }

    /** From now on, connects block. */
    static void shut() {
        gate = new CountDownLatch(1);
    }

    /** Lets blocked and later connects through. */
    static void open() {
        gate.countDown();
    }

    /** How many connects are blocked at the gate now. */
    static int blocked() {
        return blocked.get();
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        blocked.incrementAndGet();
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted at the gate", "08001", e);
        } finally {
            blocked.decrementAndGet();
        }
        return DriverManager.getConnection("jdbc:" + url.substring(PREFIX.length()), info);
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
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }
}
