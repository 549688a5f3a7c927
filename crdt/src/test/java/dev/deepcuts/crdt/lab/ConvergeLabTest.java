package dev.deepcuts.crdt.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import dev.deepcuts.core.Claim;
import dev.deepcuts.core.LabRun;
import dev.deepcuts.core.LabRunner;
import dev.deepcuts.core.Progress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvergeLabTest {

    @TempDir
    Path out;

    private LabRun run(Map<String, String> params) throws Exception {
        var report = new ByteArrayOutputStream();
        var options = new LabRunner.Options(out, LabRunner.DEFAULT_SEED, true, params, out, null,
                new PrintStream(report, true, StandardCharsets.UTF_8), Progress.silent());
        return LabRunner.run(new ConvergeLab(), options);
    }

    @Test
    void quickRunHoldsEveryClaim() throws Exception {
        LabRun run = run(Map.of());
        assertThat(run.result().claims()).as("seed %d", run.seed()).isNotEmpty().allMatch(Claim::holds);
        assertThat(run.result().metrics().get("op_stuck_large").value()).isPositive();
    }

    @Test
    void onANetworkThatDropsNothingOpBasedSyncConvergesToo() throws Exception {
        LabRun run = run(Map.of("loss", "0", "partition", "false"));
        assertThat(run.result().claims()).anyMatch(c -> c.holds() && c.text().contains("op-based causal broadcast converges"));
        assertThat(run.result().metrics().get("op_stuck_large").value()).isZero();
    }
}
