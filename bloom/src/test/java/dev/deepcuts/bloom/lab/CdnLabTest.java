package dev.deepcuts.bloom.lab;

import static dev.deepcuts.bloom.lab.LabTestSupport.metric;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdnLabTest {

    @TempDir
    Path out;

    @Test
    void quickRunHoldsEveryClaim() throws Exception {
        var run = LabTestSupport.runQuick(new CdnLab(), out, Map.of());
        assertThat(metric(run, "writes_saved")).isGreaterThanOrEqualTo(0.4);
        assertThat(metric(run, "hit_ratio_doorkeeper")).isGreaterThanOrEqualTo(metric(run, "hit_ratio_lru"));
        assertThat(run.figures()).hasSize(2);
    }

    @Test
    void withoutOneHitWondersTheStreamIsNotRealisticAndTheClaimSaysSo() throws Exception {
        var run = LabTestSupport.runQuickUnchecked(new CdnLab(), out, Map.of("oneHitRate", "0"));
        assertThat(run.result().claims()).anyMatch(c -> !c.holds() && c.text().contains("one-hit wonders"));
    }

    @Test
    void doorkeeperAdmitsOnTheSecondRequestOnly() {
        var d = new Doorkeeper(1000, 0.01);
        assertThat(d.admit(7)).isFalse();
        assertThat(d.admit(7)).isTrue();
        assertThat(d.admit(8)).isFalse();
    }

    @Test
    void doorkeeperForgetsAfterTwoGenerations() {
        var d = new Doorkeeper(10, 0.01);
        assertThat(d.admit(-1)).isFalse();
        for (long i = 0; i < 25; i++) d.admit(i * 7919 + 1_000_000);   // fill two more generations
        assertThat(d.admit(-1)).as("an object first seen two generations ago is new again").isFalse();
    }
}
