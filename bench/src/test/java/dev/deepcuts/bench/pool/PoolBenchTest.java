package dev.deepcuts.bench.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;

import dev.deepcuts.core.BenchResult.Row;
import dev.deepcuts.core.Catalog;

/** The wiring of the pool bench, checked without timing anything. */
class PoolBenchTest {

    @Test
    void theCatalogFindsThePoolBenchThroughServiceLoader() {
        var benches = Catalog.load().benches("pool");
        assertThat(benches).hasSize(1);
        assertThat(benches.getFirst()).isInstanceOf(PoolBench.class);
    }

    @Test
    void everyCycleHasItsBenchmarkMethodAndJmhListedThem() throws Exception {
        List<String> methods = new ArrayList<>();
        for (Method m : CycleBench.class.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Benchmark.class)) {
                methods.add(m.getName());
                assertThat(m.getReturnType()).as("%s returns its work to JMH", m).isNotEqualTo(void.class);
            }
        }
        assertThat(methods).containsExactlyInAnyOrder(Cycle.BORROW_RETURN.method, Cycle.STATEMENT.method);
        String list;
        try (InputStream in = CycleBench.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertThat(in).isNotNull();
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (Cycle c : Cycle.values()) {
            assertThat(list).contains("CycleBench_" + c.method + "_jmhTest");
        }
    }

    @Test
    void theStubPlansTimeEveryVariantAndPostgresOnlyThePlainPools() {
        var stubOnly = PoolBench.plans();
        assertThat(stubOnly).hasSize(2);
        assertThat(stubOnly.stream().mapToInt(PoolBench.Plan::forks).sum()).isEqualTo(2 * 2 * Contender.values().length);
        var withPg = PoolBench.plans(PoolBench.THREADS);
        assertThat(withPg).hasSize(4);
        assertThat(withPg.get(2).db()).isEqualTo("postgres");
        assertThat(withPg.get(2).contenders()).containsExactlyElementsOf(PoolBench.PLAIN);
        assertThat(withPg.get(2).cycles()).containsExactly(Cycle.STATEMENT);
        var options = PoolBench.options(PoolBench.QUICK, withPg.get(3));
        assertThat(options.getThreads().get()).isEqualTo(8);
        assertThat(options.getParameter("pool").get()).containsExactly("ours", "hikari", "agroal", "dbcp2");
        assertThat(options.getForkCount().get()).isEqualTo(1);
    }

    @Test
    void throughputBecomesNanosecondsOfTheMachinePerCycle() {
        var t = PoolBench.Timing.of("borrowReturn", "hikari", "stub", 8, 2e7, 1e6, "ops/s");
        assertThat(t.cycle()).isEqualTo(Cycle.BORROW_RETURN);
        assertThat(t.contender()).isEqualTo(Contender.HIKARI);
        assertThat(t.nanos()).isCloseTo(50, within(1e-9));
        assertThat(t.error()).isCloseTo(2.5, within(1e-9));
        assertThat(PoolBench.Timing.of("statement", "ours", "postgres", 1, 20, 1, "ops/ms").nanos()).isCloseTo(50_000, within(1e-6));
        assertThat(t.describeCase()).isEqualTo("borrow/return, stub driver, 8 threads");
        assertThat(PoolBench.caseName(Cycle.STATEMENT, "postgres", 1)).isEqualTo("borrow + SELECT 1 + return, PostgreSQL, 1 thread");
    }

    @Test
    void rowsSetOursBesideEachPeerAndDiagnosticsBesideDiagnostics() {
        List<PoolBench.Timing> timings = new ArrayList<>();
        double v = 10;
        for (Contender c : Contender.values()) {
            for (Cycle cycle : Cycle.values()) {
                for (int t : PoolBench.THREADS) {
                    timings.add(new PoolBench.Timing(cycle, c, "stub", t, v++, 0));
                }
            }
        }
        timings.add(new PoolBench.Timing(Cycle.STATEMENT, Contender.OURS, "postgres", 1, 40_000, 0));
        timings.add(new PoolBench.Timing(Cycle.STATEMENT, Contender.DBCP2, "postgres", 1, 80_000, 0));
        List<Row> rows = PoolBench.rows(timings);
        assertThat(rows).extracting(Row::name).contains(
                "borrow/return, stub driver, 1 thread",
                "borrow + statement + return, stub driver, 8 threads, diagnostics on",
                "borrow + SELECT 1 + return, PostgreSQL, 1 thread",
                "borrow/return, stub driver, 1 thread, ours with 1-in-64 stacks vs none");
        assertThat(rows).hasSize(4 + 4 + 1 + 4);
        Row plain = rows.getFirst();
        assertThat(plain.ours()).isEqualTo(10);
        assertThat(plain.peers()).containsOnlyKeys("HikariCP", "Agroal", "DBCP2");
        assertThat(plain.peers().get("HikariCP")).isEqualTo(10 + 4 * Contender.HIKARI.ordinal());
        Row diag = rows.stream().filter(r -> r.name().equals("borrow/return, stub driver, 1 thread, diagnostics on")).findFirst().orElseThrow();
        assertThat(diag.ours()).isEqualTo(10 + 4 * Contender.OURS_EVERY_STACK.ordinal());
        assertThat(diag.peers().get("Agroal")).isEqualTo(10 + 4 * Contender.AGROAL_LEAK.ordinal());
        Row pg = rows.stream().filter(r -> r.name().contains("PostgreSQL")).findFirst().orElseThrow();
        assertThat(pg.peers()).containsOnlyKeys("DBCP2");
        assertThat(pg.advantageOver("DBCP2")).isCloseTo(2, within(1e-9));
    }

    @Test
    void clockReadRowsSetOursBesideThePeersDiagnosticsOffAndOn() {
        var reads = ClockReads.parse("""
                clock-reads ours borrowReturn 0
                clock-reads hikari borrowReturn 3
                clock-reads oursEveryStack borrowReturn 0
                clock-reads dbcp2Abandoned borrowReturn 9
                """);
        List<Row> rows = PoolBench.clockRows(reads);
        assertThat(rows).extracting(Row::name).containsExactly("clock reads per cycle, borrow/return",
                "clock reads per cycle, borrow/return, diagnostics on");
        assertThat(rows.get(0).peers()).containsOnlyKeys("HikariCP").containsEntry("HikariCP", 3.0);
        assertThat(rows.get(1).peers()).containsOnlyKeys("DBCP2").containsEntry("DBCP2", 9.0);
    }

    @Test
    void fairnessRowsAreMediansOverTheRepeats() throws Exception {
        var s = new Fairness.Settings(4, 2, java.time.Duration.ofMillis(1), java.time.Duration.ofSeconds(1),
                java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(50), 1);
        var runs = Fairness.interleaved(List.of(Contender.OURS, Contender.DBCP2), StubDriver.URL, s, r -> { });
        List<Row> rows = PoolBench.fairnessRows(runs, s);
        assertThat(rows).extracting(Row::name).allMatch(n -> n.startsWith("fairness, 4 threads on 2 connections, hold 1 ms: "));
        assertThat(rows).hasSize(7);
        Row p99 = rows.get(1);
        assertThat(p99.name()).endsWith("p99 wait");
        assertThat(p99.ours()).isEqualTo(runs.get(0).getFirst().p99Micros() / 1e3);
        assertThat(p99.peers()).containsOnlyKeys("DBCP2");
    }

    @Test
    void withoutPostgresTheBenchSaysWhyAndNeverPrintsAPassword() {
        assertThat(PoolBench.postgresUnavailable(null)).contains("DEEPCUTS_PG_URL is not set");
        assertThat(PoolBench.postgresUnavailable("jdbc:stub:x")).contains("must be a jdbc:postgresql: URL");
        String refused = PoolBench.postgresUnavailable("jdbc:postgresql://127.0.0.1:1/postgres?user=u&password=secret");
        assertThat(refused).startsWith("cannot connect to jdbc:postgresql://127.0.0.1:1/postgres?user=u&password=***")
                .doesNotContain("secret");
    }
}
