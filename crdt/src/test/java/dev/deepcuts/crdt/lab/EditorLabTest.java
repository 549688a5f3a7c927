package dev.deepcuts.crdt.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.deepcuts.core.Claim;
import dev.deepcuts.core.LabRun;
import dev.deepcuts.core.LabRunner;
import dev.deepcuts.core.Progress;

class EditorLabTest {

    @TempDir
    Path out;

    private LabRun run(long seed, Map<String, String> params) throws Exception {
        var report = new ByteArrayOutputStream();
        var options = new LabRunner.Options(out, seed, true, params, out, null,
                new PrintStream(report, true, StandardCharsets.UTF_8), Progress.silent());
        return LabRunner.run(new EditorLab(), options);
    }

    @Test
    void quickRunHoldsEveryClaim() throws Exception {
        LabRun run = run(LabRunner.DEFAULT_SEED, Map.of());
        assertThat(run.result().claims()).as("seed %d", run.seed()).hasSize(4).allMatch(Claim::holds);
        assertThat(run.result().metrics().get("cut").value()).isPositive();
    }

    @Test
    void everySeedConvergesEvenWhenAFifthOfTheMessagesAreLost() throws Exception {
        // with heavy loss a typist may start a line on a stale view (their "end" is elsewhere), so only
        // convergence and the deletion are asserted here, not where each line lands
        for (long seed = 1; seed <= 25; seed++) {
            LabRun run = run(seed, Map.of("loss", "0.2"));
            assertThat(run.result().claims()).as("seed %d", seed)
                    .filteredOn(c -> c.text().contains("same text") || c.text().contains("stays deleted"))
                    .isNotEmpty().allMatch(Claim::holds);
        }
    }

    @Test
    void withoutThePartitionNobodyIsCut() throws Exception {
        LabRun run = run(LabRunner.DEFAULT_SEED, Map.of("partition", "false"));
        assertThat(run.result().claims()).allMatch(Claim::holds);
        assertThat(run.result().metrics().get("cut").value()).isZero();
    }
}
