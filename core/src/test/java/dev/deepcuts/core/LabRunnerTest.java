package dev.deepcuts.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabRunnerTest {

    @TempDir
    Path root;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void quickRunWritesJsonAndFigureUnderTargetNeverIntoTheBook() throws Exception {
        LabRun run = LabRunner.run(new FakeLab(), LabRunner.Options.quickTest(root, out));

        Path json = root.resolve("target/deepcuts/results/bloom-fake.json");
        Path png = root.resolve("target/deepcuts/figures/fake-decay.png");
        assertThat(json).exists();
        assertThat(png).exists();
        assertThat(root.resolve("book")).doesNotExist();
        var image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(ChartRenderer.WIDTH);
        assertThat(image.getHeight()).isEqualTo(ChartRenderer.HEIGHT);
        assertThat(run.figures()).containsExactly("target/deepcuts/figures/fake-decay.png");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("== bloom/fake", "seed 42, quick", "points=5", "[ ok ] the lab ran 5 points");
    }

    @Test
    void fullRunWritesIntoTheBook() throws Exception {
        var options = new LabRunner.Options(root, 7, false, Map.of(), null, null, out, Progress.silent());
        LabRunner.run(new FakeLab(), options);
        assertThat(root.resolve("book/results/bloom-fake.json")).exists();
        assertThat(root.resolve("book/figures/fake-decay.png")).exists();
    }

    @Test
    void jsonIsWrittenInTheDesignSchemaAndReadsBack() throws Exception {
        Path extra = root.resolve("copy.json");
        var options = new LabRunner.Options(root, 42, true, Map.of("points", "7"), null, extra, out, Progress.silent());
        LabRun run = LabRunner.run(new FakeLab(), options);

        var tree = ResultJson.readTree(extra);
        assertThat(tree.get("chapter").asText()).isEqualTo("bloom");
        assertThat(tree.get("lab").asText()).isEqualTo("fake");
        assertThat(tree.get("seed").asLong()).isEqualTo(42);
        assertThat(tree.get("quick").asBoolean()).isTrue();
        assertThat(tree.at("/params/points").asInt()).isEqualTo(7);
        assertThat(tree.at("/metrics/points/value").asDouble()).isEqualTo(7);
        assertThat(tree.at("/metrics/points/unit").asText()).isEqualTo("count");
        assertThat(tree.at("/claims/0/holds").asBoolean()).isTrue();
        assertThat(tree.get("verdict").asText()).isEqualTo("decay observed over 7 points");
        assertThat(tree.at("/figures/0").asText()).isEqualTo("target/deepcuts/figures/fake-decay.png");

        LabRun back = ResultJson.read(extra);
        assertThat(back.name()).isEqualTo("bloom/fake");
        assertThat(back.result().metrics()).isEqualTo(run.result().metrics());
        assertThat(back.result().claims()).isEqualTo(run.result().claims());
        assertThat(back.result().tables().getFirst().rows()).isEqualTo(run.result().tables().getFirst().rows());
        assertThat(back.figures()).isEqualTo(run.figures());
    }

    @Test
    void sameSeedGivesTheSameNumbers() throws Exception {
        LabRun a = LabRunner.run(new FakeLab(), LabRunner.Options.quickTest(root, out));
        LabRun b = LabRunner.run(new FakeLab(), LabRunner.Options.quickTest(root, out));
        assertThat(a.result().metrics()).isEqualTo(b.result().metrics());
    }

    @Test
    void aFailedClaimIsReported() throws Exception {
        var options = LabRunner.Options.quickTest(root, out).withOverrides(Map.of("fail", "true"));
        LabRun run = LabRunner.run(new FakeLab(), options);
        assertThat(run.result().allClaimsHold()).isFalse();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("[FAIL] the lab ran 5 points", "0 of 1 claims held");
    }

    @Test
    void unknownOrMalformedParametersNameTheLabsParameters() {
        var lab = new FakeLab();
        assertThatThrownBy(() -> LabRunner.resolveParams(lab, true, Map.of("pionts", "3")))
                .isInstanceOf(UsageException.class)
                .hasMessage("lab bloom/fake has no parameter 'pionts'; its parameters are: points (integer), fail (true|false)");
        assertThatThrownBy(() -> LabRunner.resolveParams(lab, true, Map.of("points", "three")))
                .isInstanceOf(UsageException.class)
                .hasMessage("parameter points='three' is not valid: expected integer");
    }

}
