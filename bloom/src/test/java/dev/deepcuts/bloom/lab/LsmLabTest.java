package dev.deepcuts.bloom.lab;

import static dev.deepcuts.bloom.lab.LabTestSupport.metric;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LsmLabTest {

    @TempDir
    Path out;

    @Test
    void quickRunHoldsEveryClaim() throws Exception {
        var run = LabTestSupport.runQuick(new LsmLab(), out, Map.of());
        assertThat(metric(run, "absent_read_cut_classic")).isGreaterThanOrEqualTo(0.9);
        assertThat(metric(run, "reads_present_classic")).isLessThan(metric(run, "reads_present_no_filter"));
    }

    @Test
    void aLooseFilterFailsTheNinetyPercentClaim() throws Exception {
        // at a 30% false-positive rate the filters cannot cut 90% of the reads: the claim must say so
        var bytes = new java.io.ByteArrayOutputStream();
        var options = new dev.deepcuts.core.LabRunner.Options(out, 42, true, Map.of("fpp", "0.3"), out, null,
                new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8), dev.deepcuts.core.Progress.silent());
        var run = dev.deepcuts.core.LabRunner.run(new LsmLab(), options);
        assertThat(run.result().allClaimsHold()).isFalse();
        assertThat(run.result().claims()).anyMatch(c -> !c.holds() && c.text().contains("at least 90%"));
    }
}
