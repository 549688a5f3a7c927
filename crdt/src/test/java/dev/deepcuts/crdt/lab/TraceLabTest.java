package dev.deepcuts.crdt.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.deepcuts.core.Claim;
import dev.deepcuts.core.LabRun;
import dev.deepcuts.core.LabRunner;
import dev.deepcuts.core.Progress;
import dev.deepcuts.core.UsageException;

class TraceLabTest {

    @TempDir
    Path out;

    private LabRun run(Map<String, String> params) throws Exception {
        var report = new ByteArrayOutputStream();
        var options = new LabRunner.Options(out, LabRunner.DEFAULT_SEED, true, params, out, null,
                new PrintStream(report, true, StandardCharsets.UTF_8), Progress.silent());
        return LabRunner.run(new TraceLab(), options);
    }

    @Test
    void quickRunHoldsEveryClaim() throws Exception {
        Assumptions.assumeTrue(Files.exists(TraceLab.resolve(TraceLab.DEFAULT_TRACE)), "the editing traces are not here: skipped");
        LabRun run = run(Map.of("runs", "1", "samples", "10"));
        assertThat(run.result().claims()).as("seed %d", run.seed()).isNotEmpty().allMatch(Claim::holds);
        assertThat(run.result().metrics().get("final_chars").value()).isEqualTo(104_852);
    }

    @Test
    void anyTraceFileOfTheFormatWorks() throws Exception {
        Path trace = out.resolve("mine.json");
        Files.writeString(trace, "{\"startContent\":\"\",\"endContent\":\"hello\",\"txns\":["
                + "{\"patches\":[[0,0,\"helo\"]]},{\"patches\":[[3,0,\"l\"]]}]}");
        LabRun run = run(Map.of("trace", trace.toString(), "runs", "1", "samples", "2"));
        // the text and the round trip hold; a 5-character trace is too short for runs to pay
        assertThat(run.result().claims().subList(0, 2)).allMatch(Claim::holds);
    }

    @Test
    void aMalformedTraceIsOneLine() throws Exception {
        Path trace = out.resolve("bad.json");
        Files.writeString(trace, "{\"startContent\":\"\",\"endContent\":\"x\",\"txns\":[{\"patches\":[[0,0]]}]}");
        assertThatThrownBy(() -> run(Map.of("trace", trace.toString())))
                .isInstanceOf(UsageException.class).hasMessageContaining("bad.json").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> run(Map.of("trace", out.resolve("nope.json").toString())))
                .isInstanceOf(UsageException.class).hasMessageContaining("not found");
    }
}
