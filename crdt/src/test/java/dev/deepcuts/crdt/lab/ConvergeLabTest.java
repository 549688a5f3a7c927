package dev.deepcuts.crdt.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.deepcuts.core.Claim;
import dev.deepcuts.core.LabRun;
import dev.deepcuts.core.LabRunner;
import dev.deepcuts.core.Progress;
import dev.deepcuts.core.Table;

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
        assertThat(run.result().claims()).filteredOn(c -> c.text().contains("replicas hold the same state at the end")).hasSize(10).allMatch(Claim::holds);
    }

    @Test
    void everyStateBasedTypeConvergesAfterTheHealWithOneClaimEach() throws Exception {
        LabRun run = run(Map.of());
        var types = List.of("GCounter", "PNCounter", "LwwRegister", "MvRegister", "GSet", "TwoPhaseSet", "OrSet",
                "OrMap of OR-Sets", "OrMap of MV-Registers", "OrMap of OrMaps of counters");
        Table table = run.result().tables().get(1);
        assertThat(table.rows()).extracting(r -> r.get(0)).as("seed %d", run.seed()).containsExactlyElementsOf(types);
        int converged = table.columns().indexOf("converged");
        assertThat(table.rows()).extracting(r -> r.get(converged)).as("seed %d", run.seed()).containsOnly("yes");
        for (String type : types) {
            assertThat(run.result().claims()).as("seed %d", run.seed())
                    .filteredOn(c -> c.text().startsWith(type + ": all 3 replicas hold the same state after the heal")).singleElement()
                    .matches(Claim::holds);
        }
        assertThat(run.result().metrics().get("types_converged").value()).isEqualTo(types.size());
    }

    @Test
    void theSameSeedGivesTheSameNumbers() throws Exception {
        Map<String, String> small = Map.of("elements", "20", "ops", "120");
        assertThat(run(small).result().tables()).usingRecursiveComparison().isEqualTo(run(small).result().tables());
    }
}
