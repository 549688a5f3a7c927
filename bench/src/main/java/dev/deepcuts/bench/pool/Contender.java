package dev.deepcuts.bench.pool;

import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.apache.commons.dbcp2.BasicDataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.deepcuts.pool.ConnectionPool;
import dev.deepcuts.pool.PoolConfig;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;

/**
 * Every pool the bench measures, each in one configuration: ours and its peers with their defaults
 * (only the size and the borrow timeout set, the same for all), then each again with its leak or
 * holder diagnostics switched on. The JMH parameter {@code pool} names one of these.
 *
 * <p>What "diagnostics on" does in each:
 * <ul>
 * <li>ours: holder tracking (the borrowing thread and a coarse borrow time) is always on; the
 *     default samples the borrower's stack every 64th borrow (and every borrow that had to wait).
 *     {@link #OURS_EVERY_STACK} samples it on every borrow ({@code siteSampling=1}, leak threshold
 *     60 s): everything captured. {@link #OURS_NO_STACKS} samples one borrow in 2^30, i.e. never in
 *     a run: holder tracking alone, to see what the sampled stacks cost.</li>
 * <li>HikariCP: {@code leakDetectionThreshold} 60 s: every borrow schedules a leak task on a
 *     scheduled executor (the task records the borrower's stack as an exception) and every return
 *     cancels it.</li>
 * <li>Agroal: {@code leakTimeout} 60 s with {@code enhancedLeakReport}: every borrow records the
 *     holding thread and its stack trace ({@code Thread.getStackTrace()}); a housekeeping task
 *     checks the time held.</li>
 * <li>DBCP2: abandoned-connection tracking ({@code removeAbandonedOnMaintenance}, timeout 60 s,
 *     evictor every 30 s) with {@code logAbandoned}: every borrow records the borrower's stack for
 *     the abandoned report.</li>
 * </ul>
 * The thresholds are long enough that nothing is ever reported or reclaimed in a benchmark: what is
 * measured is what the bookkeeping costs on every borrow.
 */
enum Contender {

    OURS("ours", "ours", Family.OURS, false),
    OURS_NO_STACKS("oursNoStacks", "ours, no stacks (siteSampling 2^30)", Family.OURS, false),
    OURS_EVERY_STACK("oursEveryStack", "ours, a stack on every borrow (siteSampling 1)", Family.OURS, true),
    HIKARI("hikari", "HikariCP", Family.HIKARI, false),
    HIKARI_LEAK("hikariLeak", "HikariCP, leak detection", Family.HIKARI, true),
    AGROAL("agroal", "Agroal", Family.AGROAL, false),
    AGROAL_LEAK("agroalLeak", "Agroal, enhanced leak report", Family.AGROAL, true),
    DBCP2("dbcp2", "DBCP2", Family.DBCP2, false),
    DBCP2_ABANDONED("dbcp2Abandoned", "DBCP2, abandoned tracking + logAbandoned", Family.DBCP2, true);

    /** Which library, as it is named in the table's columns. */
    enum Family {
        OURS("ours"), HIKARI("HikariCP"), AGROAL("Agroal"), DBCP2("DBCP2");

        final String label;

        Family(String label) {
            this.label = label;
        }
    }

    /** The leak threshold of the diagnostics-on variants: long, so nothing is reported in a run. */
    static final Duration LEAK_THRESHOLD = Duration.ofSeconds(60);

    /** The value of the JMH parameter {@code pool}. */
    final String param;
    /** How the variant is named in the report. */
    final String label;
    final Family family;
    /** Whether this is the variant with leak/holder diagnostics on. */
    final boolean diagnostics;

    Contender(String param, String label, Family family, boolean diagnostics) {
        this.param = param;
        this.label = label;
        this.family = family;
        this.diagnostics = diagnostics;
    }

    /** The contender whose JMH parameter is {@code param}. */
    static Contender byParam(String param) {
        for (Contender c : values()) {
            if (c.param.equals(param)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no pool named '" + param + "' in the bench; expected one of " + String.join(", ", params()));
    }

    /** Every JMH parameter value, in order. */
    static String[] params() {
        Contender[] all = values();
        String[] p = new String[all.length];
        for (int i = 0; i < all.length; i++) {
            p[i] = all[i].param;
        }
        return p;
    }

    /** The plain (diagnostics off) variant of each library, ours first. */
    static Contender plain(Family f) {
        return switch (f) {
            case OURS -> OURS;
            case HIKARI -> HIKARI;
            case AGROAL -> AGROAL;
            case DBCP2 -> DBCP2;
        };
    }

    /** The diagnostics-on variant of each library. */
    static Contender withDiagnostics(Family f) {
        return switch (f) {
            case OURS -> OURS_EVERY_STACK;
            case HIKARI -> HIKARI_LEAK;
            case AGROAL -> AGROAL_LEAK;
            case DBCP2 -> DBCP2_ABANDONED;
        };
    }

    /** An open pool and how to close it. */
    record Pool(DataSource dataSource, AutoCloseable closer) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            closer.close();
        }
    }

    /**
     * Opens this pool on {@code jdbcUrl} with {@code size} connections, all opened up front (min =
     * max, so nothing grows or shrinks while it is measured), and {@code borrowTimeout}.
     */
    Pool open(String jdbcUrl, int size, Duration borrowTimeout) throws SQLException {
        StubDriver.register();
        Pool pool = switch (family) {
            case OURS -> ours(jdbcUrl, size, borrowTimeout);
            case HIKARI -> hikari(jdbcUrl, size, borrowTimeout);
            case AGROAL -> agroal(jdbcUrl, size, borrowTimeout);
            case DBCP2 -> dbcp2(jdbcUrl, size, borrowTimeout);
        };
        try {
            fill(pool.dataSource(), size);
        } catch (SQLException | RuntimeException e) {
            try {
                pool.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return pool;
    }

    /**
     * Borrows {@code size} connections at once and returns them, so that every connection is open
     * before anything is measured: DBCP2 opens its pool on first use, Agroal its initial
     * connections in the background.
     */
    private static void fill(DataSource ds, int size) throws SQLException {
        var held = new java.util.ArrayList<java.sql.Connection>(size);
        try {
            for (int i = 0; i < size; i++) {
                held.add(ds.getConnection());
            }
        } finally {
            for (var c : held) {
                c.close();
            }
        }
    }

    private Pool ours(String jdbcUrl, int size, Duration borrowTimeout) throws SQLException {
        var b = PoolConfig.builder(jdbcUrl).poolName("bench-" + param).maxSize(size).minIdle(size).borrowTimeout(borrowTimeout)
                // the only events a run could raise are the "second connection while holding one"
                // warnings of fill() below; the leak threshold is never reached
                .events(message -> { });
        switch (this) {
            case OURS_EVERY_STACK -> b.siteSampling(1).leakThreshold(LEAK_THRESHOLD);
            case OURS_NO_STACKS -> b.siteSampling(1 << 30);
            default -> { } // the defaults: one stack in 64
        }
        var pool = new ConnectionPool(b.build());
        return new Pool(pool, pool);
    }

    private Pool hikari(String jdbcUrl, int size, Duration borrowTimeout) {
        var c = new HikariConfig();
        c.setPoolName("bench-" + param);
        c.setJdbcUrl(jdbcUrl);
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(size);
        c.setConnectionTimeout(borrowTimeout.toMillis());
        if (diagnostics) {
            c.setLeakDetectionThreshold(LEAK_THRESHOLD.toMillis());
        }
        var ds = new HikariDataSource(c);
        return new Pool(ds, ds);
    }

    private Pool agroal(String jdbcUrl, int size, Duration borrowTimeout) throws SQLException {
        var config = new AgroalDataSourceConfigurationSupplier().connectionPoolConfiguration(p -> {
            p.maxSize(size).minSize(size).initialSize(size).acquisitionTimeout(borrowTimeout)
                    .connectionFactoryConfiguration(f -> f.jdbcUrl(jdbcUrl));
            if (diagnostics) {
                p.leakTimeout(LEAK_THRESHOLD).enhancedLeakReport(true);
            }
            return p;
        });
        AgroalDataSource ds = AgroalDataSource.from(config);
        return new Pool(ds, ds);
    }

    private Pool dbcp2(String jdbcUrl, int size, Duration borrowTimeout) throws SQLException {
        var ds = new BasicDataSource();
        ds.setUrl(jdbcUrl);
        ds.setMaxTotal(size);
        ds.setMaxIdle(size);
        ds.setMinIdle(size);
        ds.setInitialSize(size);
        ds.setMaxWait(borrowTimeout);
        if (diagnostics) {
            ds.setRemoveAbandonedOnMaintenance(true);
            ds.setRemoveAbandonedTimeout(LEAK_THRESHOLD);
            ds.setDurationBetweenEvictionRuns(Duration.ofSeconds(30)); // maintenance is the evictor's run
            ds.setLogAbandoned(true);
        }
        return new Pool(ds, ds);
    }
}
