package dev.deepcuts.bench.pool;

import java.time.Duration;

import javax.sql.DataSource;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The pool a JMH fork measures, shared by all its threads: which pool ({@link Contender#param}),
 * over which database ({@code stub}: the {@link StubDriver}; {@code postgres}: the server named by
 * {@code DEEPCUTS_PG_URL}), {@value #SIZE} connections, all open before the first iteration.
 */
@State(Scope.Benchmark)
public class PoolState {

    /** Connections in every measured pool: at least the most threads a case runs. */
    static final int SIZE = 8;

    /** Long enough never to fire in a throughput case, where no pool runs dry. */
    static final Duration BORROW_TIMEOUT = Duration.ofSeconds(30);

    /** The environment variable naming the PostgreSQL server (a JDBC URL with user and password). */
    static final String PG_URL_ENV = "DEEPCUTS_PG_URL";

    @Param({"ours"})
    public String pool;

    @Param({"stub"})
    public String db;

    DataSource dataSource;
    private Contender.Pool open;

    @Setup(Level.Trial)
    public void open() throws Exception {
        open = Contender.byParam(pool).open(url(db), SIZE, BORROW_TIMEOUT);
        dataSource = open.dataSource();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        open.close();
    }

    /** The JDBC URL of {@code db}: the stub, or PostgreSQL from the environment. */
    static String url(String db) {
        return switch (db) {
            case "stub" -> StubDriver.URL;
            case "postgres" -> {
                String url = System.getenv(PG_URL_ENV);
                if (url == null || url.isBlank()) {
                    throw new IllegalStateException(PG_URL_ENV + " is not set: the PostgreSQL cases need it");
                }
                yield url;
            }
            default -> throw new IllegalArgumentException("db must be 'stub' or 'postgres', got '" + db + "'");
        };
    }
}
