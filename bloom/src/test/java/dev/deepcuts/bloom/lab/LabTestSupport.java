package dev.deepcuts.bloom.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import dev.deepcuts.core.Claim;
import dev.deepcuts.core.Lab;
import dev.deepcuts.core.LabRun;
import dev.deepcuts.core.LabRunner;
import dev.deepcuts.core.Progress;

/** Runs a lab in quick mode into a temporary folder and checks that every claim held. */
final class LabTestSupport {
    private LabTestSupport() {
    }

    static LabRun runQuick(Lab lab, Path out, Map<String, String> params) throws Exception {
        var bytes = new ByteArrayOutputStream();
        LabRun run = run(lab, out, params, bytes);
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertThat(run.result().claims()).as("claims of %s (seed %d); report:%n%s", run.name(), run.seed(), report)
                .isNotEmpty().allMatch(Claim::holds);
        for (String figure : run.figures()) assertThat(Path.of(figure).isAbsolute() ? Path.of(figure) : out.resolve(figure)).exists();
        return run;
    }

    /** Runs a lab in quick mode without checking its claims (for tests that expect one to fail). */
    static LabRun runQuickUnchecked(Lab lab, Path out, Map<String, String> params) throws Exception {
        return run(lab, out, params, new ByteArrayOutputStream());
    }

    private static LabRun run(Lab lab, Path out, Map<String, String> params, ByteArrayOutputStream report) throws Exception {
        var options = new LabRunner.Options(out, LabRunner.DEFAULT_SEED, true, params, out, null,
                new PrintStream(report, true, StandardCharsets.UTF_8), Progress.silent());
        return LabRunner.run(lab, options);
    }

    static double metric(LabRun run, String name) {
        assertThat(run.result().metrics()).containsKey(name);
        return run.result().metrics().get(name).value();
    }
}
