package dev.deepcuts.bench.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

/** The stub driver: found by URL, connections that do nothing but behave like connections. */
class StubDriverTest {

    @Test
    void driverManagerFindsTheStubByItsUrl() throws SQLException {
        StubDriver.register();
        assertThat(DriverManager.getDriver(StubDriver.URL)).isInstanceOf(StubDriver.class);
        assertThat(new StubDriver().acceptsURL("jdbc:h2:mem:x")).isFalse();
        assertThat(new StubDriver().connect("jdbc:h2:mem:x", new java.util.Properties())).isNull();
    }

    @Test
    void theServiceFileNamesTheStubSoDriverManagerLoadsItUnasked() throws Exception {
        try (var in = StubDriver.class.getResourceAsStream("/META-INF/services/java.sql.Driver")) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip())
                    .isEqualTo(StubDriver.class.getName());
        }
    }

    @Test
    void aStubConnectionIsValidExecutesAtOnceAndKeepsItsSessionSettings() throws SQLException {
        int before = StubDriver.openConnections();
        try (Connection c = DriverManager.getConnection(StubDriver.URL)) {
            assertThat(StubDriver.openConnections()).isEqualTo(before + 1);
            assertThat(c.isValid(1)).isTrue();
            assertThat(c.getAutoCommit()).isTrue();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            c.setReadOnly(true);
            assertThat(c.getAutoCommit()).isFalse();
            assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
            assertThat(c.isReadOnly()).isTrue();
            c.rollback();
            try (Statement s = c.createStatement()) {
                assertThat(s.execute("SELECT 1")).isFalse();
                assertThat(s.getUpdateCount()).isEqualTo(-1);
                assertThat(s.executeQuery("SELECT 1").next()).isFalse();
                assertThat(s.getConnection()).isSameAs(c);
            }
            assertThat(c.getMetaData().getJDBCMajorVersion()).isEqualTo(4);
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("stub");
        }
        assertThat(StubDriver.openConnections()).isEqualTo(before);
    }

    @Test
    void aClosedConnectionRefusesWorkAndIsNoLongerValid() throws SQLException {
        Connection c = DriverManager.getConnection(StubDriver.URL);
        Statement s = c.createStatement();
        c.close();
        c.close(); // twice is allowed
        assertThat(c.isClosed()).isTrue();
        assertThat(c.isValid(1)).isFalse();
        assertThatThrownBy(c::createStatement).isInstanceOf(SQLException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08003");
    }

    @Test
    void whatTheStubCannotDoItSaysSo() throws SQLException {
        try (Connection c = DriverManager.getConnection(StubDriver.URL)) {
            assertThatThrownBy(() -> c.prepareStatement("SELECT 1")).isInstanceOf(java.sql.SQLFeatureNotSupportedException.class)
                    .hasMessageContaining("prepareStatement");
        }
    }
}
