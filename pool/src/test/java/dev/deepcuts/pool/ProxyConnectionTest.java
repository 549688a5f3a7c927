package dev.deepcuts.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ProxyConnectionTest {

    private static final AtomicInteger DBS = new AtomicInteger();
    private ConnectionPool pool;

    private static ConnectionPool open(int size) throws SQLException {
        return new ConnectionPool(PoolConfig.builder("jdbc:h2:mem:proxy" + DBS.incrementAndGet() + ";DB_CLOSE_DELAY=-1")
                .user("sa").maxSize(size).poolName("proxy").events(e -> { }).build());
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    // region statements-test
    @Test
    void statementsResultSetsAndMetadataLeadBackToTheProxy() throws SQLException {
        pool = open(1);
        try (Connection c = pool.getConnection()) {
            Statement st = c.createStatement();
            PreparedStatement ps = c.prepareStatement("SELECT 1");
            CallableStatement cs = c.prepareCall("CALL 1");
            assertThat(st.getConnection()).isSameAs(c);
            assertThat(ps.getConnection()).isSameAs(c);
            assertThat(cs.getConnection()).isSameAs(c);
            assertThat(c.getMetaData().getConnection()).isSameAs(c);
            try (ResultSet rs = st.executeQuery("SELECT 1")) {
                assertThat(rs.getStatement()).isSameAs(st);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.getStatement().getConnection()).isSameAs(c);
            }
            try (ResultSet rs = c.getMetaData().getTables(null, null, "%", null)) {
                assertThat(rs.getStatement() == null || rs.getStatement().getConnection() == c)
                        .as("a metadata result set does not lead to the physical connection either").isTrue();
            }
        }
    }
    // endregion statements-test

    @Test
    void closingTheConnectionReachedThroughAStatementReturnsItToThePool() throws SQLException {
        pool = open(1);
        Connection c = pool.getConnection();
        Statement st = c.createStatement();
        st.getConnection().close();                           // what a DAO might do with the connection it found
        assertThat(c.isClosed()).isTrue();
        assertThat(st.isClosed()).as("its statements were closed with it").isTrue();
        assertThat(pool.stats().idle()).as("back in the pool, not closed behind its back").isEqualTo(1);
        try (Connection again = pool.getConnection()) {
            assertThat(again.isValid(1)).isTrue();
        }
        assertThat(pool.stats().created()).isEqualTo(1);
        assertThat(pool.stats().closed()).isZero();
    }

    // region fatal-test
    @Test
    void errorsThatMeanTheConnectionIsGoneMarkItBroken() {
        assertThat(ProxyConnection.isFatal(new SQLException("connection reset", "08006"))).isTrue();
        assertThat(ProxyConnection.isFatal(new SQLException("terminating connection due to administrator command", "57P01"))).isTrue();
        assertThat(ProxyConnection.isFatal(new SQLException("terminating connection due to crash of another process", "57P02"))).isTrue();
        assertThat(ProxyConnection.isFatal(new SQLException("the database system is starting up", "57P03"))).isTrue();
        assertThat(ProxyConnection.isFatal(new SQLException("disconnect error", "01002"))).isTrue();
        assertThat(ProxyConnection.isFatal(new SQLNonTransientConnectionException("gone, no SQLState"))).isTrue();
        assertThat(ProxyConnection.isFatal(new SQLException("relation does not exist", "42P01"))).isFalse();
        assertThat(ProxyConnection.isFatal(new SQLException("canceling statement due to statement timeout", "57014"))).isFalse();
        assertThat(ProxyConnection.isFatal(new SQLException("no state"))).isFalse();
    }
    // endregion fatal-test

    @Test
    void aFatalErrorChainedBehindAnotherStillMarksTheConnectionBroken() throws SQLException {
        pool = open(1);
        Connection c = pool.getConnection();
        SQLException batch = new SQLException("batch entry 3 failed", "22000");
        batch.setNextException(new SQLException("terminating connection due to administrator command", "57P01"));
        ((ProxyConnection) c).failed(batch);
        c.close();
        assertThat(pool.stats().closed()).as("retired on return, not lent again").isEqualTo(1);
    }

    @Test
    void anErrorFromAStatementReachesTheConnection() throws SQLException {
        pool = open(1);
        Connection c = pool.getConnection();
        ProxyConnection proxy = (ProxyConnection) c;
        Statement st = c.createStatement();
        try {
            st.execute("SELECT * FROM no_such_table");
        } catch (SQLException e) {
            assertThat(proxy.broken).as("an ordinary error does not break the connection").isFalse();
        }
        c.close();
        assertThat(pool.stats().closed()).isZero();
    }

    // region tracking-property
    /**
     * Whatever a borrower opens and closes, the proxy tracks exactly the statements still open, and
     * returning the connection closes every one of them. Each op opens a statement (0-2, one of each
     * kind) or closes the k-th still open one (3-9).
     */
    @Property(tries = 60)
    void theProxyTracksExactlyTheStatementsLeftOpen(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 9) Integer> ops)
            throws SQLException {
        try (ConnectionPool p = open(1)) {
            Connection c = p.getConnection();
            List<Statement> open = new ArrayList<>();
            List<Statement> all = new ArrayList<>();
            for (int op : ops) {
                if (op < 3) {
                    Statement s = switch (op) {
                        case 0 -> c.createStatement();
                        case 1 -> c.prepareStatement("SELECT 1");
                        default -> c.prepareCall("CALL 1");
                    };
                    open.add(s);
                    all.add(s);
                } else if (!open.isEmpty()) {
                    open.remove(op % open.size()).close();
                }
                assertThat(((ProxyConnection) c).openStatements()).isEqualTo(open.size());
            }
            c.close();
            for (Statement s : all) {
                assertThat(s.isClosed()).isTrue();
            }
        }
    }
    // endregion tracking-property
}
