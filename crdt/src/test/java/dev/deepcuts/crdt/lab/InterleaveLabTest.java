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

class InterleaveLabTest {

    @TempDir
    Path out;

    @Test
    void quickRunHoldsEveryClaim() throws Exception {
        var report = new ByteArrayOutputStream();
        var options = new LabRunner.Options(out, LabRunner.DEFAULT_SEED, true, Map.of(), out, null,
                new PrintStream(report, true, StandardCharsets.UTF_8), Progress.silent());
        LabRun run = LabRunner.run(new InterleaveLab(), options);
        assertThat(run.result().claims()).as("seed %d", run.seed()).isNotEmpty().allMatch(Claim::holds);
        assertThat(run.result().metrics().get("rga_interleaved_backward").value()).isPositive();
        assertThat(run.result().metrics().get("ours_interleaved_backward").value()).isZero();
    }

    @Test
    void theAnomalyIsVisibleInTheText() {
        var o = InterleaveLab.trial("[]", 1, new String[] {"hello", "WORLD"}, true);
        assertThat(o.ours()).isIn("[helloWORLD]", "[WORLDhello]");
        assertThat(o.rga()).isNotIn("[helloWORLD]", "[WORLDhello]");
        assertThat(InterleaveLab.pieces(o.rga())).isGreaterThan(2);
    }

    @Test
    void piecesCountsRunsOfOneTypist() {
        assertThat(InterleaveLab.pieces("[helloWORLD]")).isEqualTo(2);
        assertThat(InterleaveLab.pieces("[hWeOlRlLoD]")).isEqualTo(10);
        assertThat(InterleaveLab.pieces("..ab12..")).isEqualTo(2);
    }
}
