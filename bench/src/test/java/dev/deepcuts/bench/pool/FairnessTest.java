package dev.deepcuts.bench.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The fairness harness, run tiny: it records a wait for every borrow, derives Little's-law mean from
 * the throughput, and stops by itself. Its numbers are not judged here (benchmarks hold targets,
 * tests do not), only that they are consistent.
 */
class FairnessTest {

    private static final Fairness.Settings TINY = new Fairness.Settings(8, 2, Duration.ofMillis(1), Duration.ofSeconds(1),
            Duration.ofMillis(50), Duration.ofMillis(300), 1);

    @Test
    void recordsEveryBorrowsWaitAndDerivesLittlesLawFromTheThroughput() throws Exception {
        int before = StubDriver.openConnections();
        Fairness.Run run = Fairness.run(Contender.OURS, StubDriver.URL, TINY);
        assertThat(run.borrows()).as("borrows in 0.3 s of 2 connections held 1 ms").isGreaterThan(50);
        assertThat(run.errors()).isZero();
        assertThat(run.seconds()).isCloseTo(0.3, within(1e-9));
        assertThat(run.meanHoldMicros()).as("hold at least the 1 ms asked for").isGreaterThanOrEqualTo(1000);
        assertThat(run.throughput()).isCloseTo(run.borrows() / 0.3, within(1e-6));
        // (N - P) / λ, in µs
        assertThat(run.littleMicros()).isCloseTo(6 / run.throughput() * 1e6, within(1e-6));
        assertThat(run.p50Micros()).isLessThanOrEqualTo(run.p99Micros());
        assertThat(run.p99Micros()).isLessThanOrEqualTo(run.maxMicros());
        assertThat(run.describe()).contains("ours").contains("p99/Little");
        assertThat(StubDriver.openConnections()).as("the run's pool is closed after it").isEqualTo(before);
    }

    @Test
    void interleavesThePoolsWithARotatingOrderAndKeepsEachPoolsRunsTogether() throws Exception {
        var settings = new Fairness.Settings(4, 2, Duration.ofMillis(1), Duration.ofSeconds(1), Duration.ofMillis(10),
                Duration.ofMillis(60), 2);
        List<Contender> order = new java.util.ArrayList<>();
        var runs = Fairness.interleaved(List.of(Contender.OURS, Contender.HIKARI), StubDriver.URL, settings,
                run -> order.add(run.contender()));
        assertThat(order).containsExactly(Contender.OURS, Contender.HIKARI, Contender.HIKARI, Contender.OURS);
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0)).hasSize(2).allMatch(r -> r.contender() == Contender.OURS);
        assertThat(runs.get(1)).hasSize(2).allMatch(r -> r.contender() == Contender.HIKARI);
    }

    @Test
    void needsMoreThreadsThanConnections() {
        assertThatThrownBy(() -> new Fairness.Settings(8, 8, Duration.ofMillis(1), Duration.ofSeconds(1), Duration.ZERO,
                Duration.ofSeconds(1), 1)).hasMessageContaining("8 threads on 8 connections");
    }

    @Test
    void theMedianOfAnOddAndOfAnEvenCount() {
        assertThat(Fairness.median(3, 1, 2)).isEqualTo(2);
        assertThat(Fairness.median(4, 1, 3, 2)).isEqualTo(2.5);
        assertThat(Fairness.median()).isNaN();
    }
}
