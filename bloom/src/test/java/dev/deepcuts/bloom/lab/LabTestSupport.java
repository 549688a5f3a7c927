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
        var options = new LabRunner.Options(out, LabRunner.DEFAULT_SEED, true, params, out, null,
                new PrintStream(bytes, true, StandardCharsets.UTF_8), Progress.silent());
        LabRun run = LabRunner.run(lab, options);
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertThat(run.result().claims()).as("claims of %s (seed %d); report:%n%s", run.name(), run.seed(), report)
                .isNotEmpty().allMatch(Claim::holds);
        for (String figure : run.figures()) assertThat(Path.of(figure).isAbsolute() ? Path.of(figure) : out.resolve(figure)).exists();
        return run;
    }

    static double metric(LabRun run, String name) {
        assertThat(run.result().metrics()).containsKey(name);
        return run.result().metrics().get(name).value();
    }
}
