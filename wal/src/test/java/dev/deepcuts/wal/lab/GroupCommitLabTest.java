package dev.deepcuts.wal.lab;

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

class GroupCommitLabTest {

    @TempDir
    Path out;

    @Test
    void quickRunHoldsEveryClaim() throws Exception {
        var report = new ByteArrayOutputStream();
        // 1 and 16 writers, briefly: enough for group commit to show on any real disk
        var options = new LabRunner.Options(out, LabRunner.DEFAULT_SEED, true, Map.of("writers", "1,16", "seconds", "0.3"), out, null,
                new PrintStream(report, true, StandardCharsets.UTF_8), Progress.silent());
        LabRun run = LabRunner.run(new GroupCommitLab(), options);
        assertThat(run.result().claims()).as(report.toString(StandardCharsets.UTF_8)).hasSize(3).allMatch(Claim::holds);
        assertThat(run.result().metrics().get("group_16_commits_per_fsync").value()).isGreaterThan(1.5);
    }
}
