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
        var run = LabTestSupport.runQuickUnchecked(new LsmLab(), out, Map.of("fpp", "0.3"));
        assertThat(run.result().allClaimsHold()).isFalse();
        assertThat(run.result().claims()).anyMatch(c -> !c.holds() && c.text().contains("at least 90%"));
    }
}
