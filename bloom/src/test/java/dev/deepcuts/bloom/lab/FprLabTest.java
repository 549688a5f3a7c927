package dev.deepcuts.bloom.lab;

import static dev.deepcuts.bloom.lab.LabTestSupport.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FprLabTest {

    @TempDir
    Path out;

    @Test
    void quickRunHoldsEveryClaimAndMeetsTheFormula() throws Exception {
        var run = LabTestSupport.runQuick(new FprLab(), out, Map.of());
        assertThat(metric(run, "false_negatives")).isZero();
        assertThat(metric(run, "measured_fpr")).isCloseTo(metric(run, "predicted_fpr"), within(0.001));
        assertThat(metric(run, "blocked_penalty_10")).isGreaterThan(1.0);
        assertThat(metric(run, "fuse8_fpr")).isCloseTo(1.0 / 256, within(0.0006));
        assertThat(run.figures()).singleElement().asString().endsWith("figures/bloom-fpr.png");
    }
}
