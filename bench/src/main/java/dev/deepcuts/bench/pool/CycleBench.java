package dev.deepcuts.bench.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * The two cycles every pool is timed on, as an application writes them: borrow and give back, and
 * borrow, run one statement, give back. Throughput of all threads together, which the bench turns
 * into nanoseconds of the machine per cycle (1 / throughput).
 *
 * <p>Run through {@code ./deepcuts bench pool}; the JMH parameters are {@code pool} (see
 * {@link Contender}) and {@code db} ({@code stub} or {@code postgres}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CycleBench {

    /** The statement of the statement cycle: the stub ignores it, PostgreSQL answers one row. */
    static final String SQL = "SELECT 1";

    /** Borrow, give back. The connection is returned to JMH so it escapes, as it does in an application. */
    @Benchmark
    public Connection borrowReturn(PoolState s) throws SQLException {
        try (Connection c = s.dataSource.getConnection()) {
            return c;
        }
    }

    /** Borrow, create a statement, execute it, close both. */
    @Benchmark
    public boolean statement(PoolState s) throws SQLException {
        try (Connection c = s.dataSource.getConnection(); Statement st = c.createStatement()) {
            return st.execute(SQL);
        }
    }
}
