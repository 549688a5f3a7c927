package dev.deepcuts.bloom.lab;

import static dev.deepcuts.bloom.lab.LabTestSupport.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpaceLabTest {

    @TempDir
    Path out;

    @Test
    void quickRunHoldsEveryClaim() throws Exception {
        var run = LabTestSupport.runQuick(new SpaceLab(), out, Map.of());
        assertThat(metric(run, "classic_bits_per_key_1pct")).isCloseTo(9.585, within(0.01));
        assertThat(metric(run, "bound_bits_per_key_1pct")).isCloseTo(6.644, within(0.001));
        assertThat(metric(run, "fuse8_over_bound")).isLessThanOrEqualTo(1.13);
    }
}
