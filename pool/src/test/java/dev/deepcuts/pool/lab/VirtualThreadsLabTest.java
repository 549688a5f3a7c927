package dev.deepcuts.pool.lab;

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

class VirtualThreadsLabTest {

    @TempDir
    Path out;

    @Test
    void quickRunHoldsEveryClaim() throws Exception {
        var report = new ByteArrayOutputStream();
        var options = new LabRunner.Options(out, LabRunner.DEFAULT_SEED, true, Map.of("threads", "500"), out, null,
                new PrintStream(report, true, StandardCharsets.UTF_8), Progress.silent());
        LabRun run = LabRunner.run(new VirtualThreadsLab(), options);
        assertThat(run.result().claims()).isNotNull().allMatch(Claim::holds);
    }
}
