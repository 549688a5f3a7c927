package dev.deepcuts.bench.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every pool of the bench opens over the stub, lends all its connections, and runs both cycles. */
class ContenderTest {

    @ParameterizedTest
    @EnumSource(Contender.class)
    void opensFullOverTheStubAndRunsBothCycles(Contender contender) throws Exception {
        int before = StubDriver.openConnections();
        try (var pool = contender.open(StubDriver.URL, 4, Duration.ofSeconds(5))) {
            assertThat(StubDriver.openConnections() - before).as("connections opened up front").isEqualTo(4);
            var ds = pool.dataSource();
            for (int i = 0; i < 1000; i++) {
                try (Connection c = ds.getConnection()) {
                    assertThat(c.isClosed()).isFalse();
                }
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    assertThat(s.execute(CycleBench.SQL)).isFalse();
                }
            }
            List<Connection> all = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                all.add(ds.getConnection());
            }
            for (Connection c : all) {
                c.close();
            }
            assertThat(StubDriver.openConnections() - before).as("no connection opened or lost by the cycles").isEqualTo(4);
        }
        // DBCP2 and Agroal close their connections as they are returned or by a background task: allow a moment
        long end = System.nanoTime() + 5_000_000_000L;
        while (StubDriver.openConnections() > before && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(StubDriver.openConnections()).as("closing the pool closes its connections").isEqualTo(before);
    }

    @Test
    void everyLibraryHasAPlainAndADiagnosticsVariant() {
        for (Contender.Family f : Contender.Family.values()) {
            assertThat(Contender.plain(f).family).isEqualTo(f);
            assertThat(Contender.plain(f).diagnostics).isFalse();
            assertThat(Contender.withDiagnostics(f).family).isEqualTo(f);
            assertThat(Contender.withDiagnostics(f).diagnostics).isTrue();
        }
        for (Contender c : Contender.values()) {
            assertThat(Contender.byParam(c.param)).isSameAs(c);
        }
        assertThatThrownBy(() -> Contender.byParam("c3p0")).hasMessageContaining("c3p0").hasMessageContaining("hikari");
    }

    /** Over PostgreSQL when DEEPCUTS_PG_URL is set: every plain pool runs the statement cycle. */
    @Test
    void runsTheStatementCycleOverPostgresWhenThereIsOne() throws Exception {
        String url = System.getenv(PoolState.PG_URL_ENV);
        Assumptions.assumeTrue(url != null && !url.isBlank(), PoolState.PG_URL_ENV + " is not set: PostgreSQL not tried");
        for (Contender c : PoolBench.PLAIN) {
            try (var pool = c.open(url, 2, Duration.ofSeconds(5));
                 Connection conn = pool.dataSource().getConnection();
                 Statement s = conn.createStatement()) {
                assertThat(s.execute(CycleBench.SQL)).as(c.label).isTrue();
            }
        }
    }
}
