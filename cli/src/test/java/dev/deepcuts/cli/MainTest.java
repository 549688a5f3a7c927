package dev.deepcuts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path out;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.execute(args, new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anUnknownChapterIsOneLineNamingTheValidOnesAndExit2() {
        assertThat(run("lab", "nope", "x")).isEqualTo(2);
        assertThat(err()).isEqualTo("deepcuts: unknown chapter 'nope'; the chapters are: crdt, wal, idempotency, descriptors, bloom, "
                + "split-brain, event-sourcing, pool, actors, read-your-writes" + System.lineSeparator());
    }

    @Test
    void anUnknownLabNamesTheChaptersLabs() {
        assertThat(run("lab", "descriptors", "x")).isEqualTo(2);
        assertThat(err()).startsWith("deepcuts: unknown lab 'x' in chapter descriptors; its labs are: ").contains("test-holds", "test-fails");
        assertThat(err().lines().count()).isEqualTo(1);
    }

    @Test
    void anUnknownOrMalformedParamNamesTheLabsParameters() {
        assertThat(run("lab", "descriptors", "test-holds", "--quick", "--out", out.toString(), "--param", "kyes=1")).isEqualTo(2);
        assertThat(err()).isEqualTo("deepcuts: lab descriptors/test-holds has no parameter 'kyes'; its parameters are: keys (integer)" + System.lineSeparator());
        stderr.reset();
        assertThat(run("lab", "descriptors", "test-holds", "--quick", "--out", out.toString(), "--param", "keys=many")).isEqualTo(2);
        assertThat(err()).contains("parameter keys='many' is not valid: expected integer");
        stderr.reset();
        assertThat(run("lab", "descriptors", "test-holds", "--param", "keys")).isEqualTo(2);
        assertThat(err()).contains("KEY=VALUE").doesNotContain("\tat ");
    }

    @Test
    void aLabWhoseClaimsHoldExits0AndOneWhoseClaimFailsExits1() {
        assertThat(run("lab", "descriptors", "test-holds", "--quick", "--out", out.toString())).isEqualTo(0);
        assertThat(out()).contains("[ ok ] it ran");
        assertThat(out.resolve("results/descriptors-test-holds.json")).exists();
        assertThat(run("lab", "descriptors", "test-fails", "--quick", "--out", out.toString())).isEqualTo(1);
        assertThat(out()).contains("[FAIL] two plus two is five");
    }

    @Test
    void tourRunsEveryLabOfAChapterAndSummarises() {
        assertThat(run("tour", "--quick", "--chapter", "descriptors", "--out", out.toString())).isEqualTo(1);
        assertThat(out()).contains("tour summary (quick)", "descriptors/test-holds", "descriptors/test-fails", "1/1", "0/1 FAIL", "SOME CLAIMS FAILED");
    }

    @Test
    void listShowsEveryRegisteredLabAndTheUnwrittenChapters() {
        assertThat(run("list", "--params")).isEqualTo(0);
        assertThat(out()).contains("lab   descriptors test-holds", "--param keys (integer, default 1000, quick 10)", "(not written yet)");
    }

    @Test
    void versionAndHelpWorkEverywhere() {
        assertThat(run("--version")).isEqualTo(0);
        assertThat(out()).startsWith("deepcuts 0.1.0");
        stdout.reset();
        assertThat(run("lab", "--help")).isEqualTo(0);
        assertThat(out()).contains("--param=NAME=VALUE", "--seed=N");
        stdout.reset();
        assertThat(run("book", "check", "--version")).isEqualTo(0);
        assertThat(out()).startsWith("deepcuts 0.1.0");
    }

    @Test
    void benchOfAChapterWithoutBenchmarksIsAUsageError() {
        assertThat(run("bench", "actors")).isEqualTo(2);
        assertThat(err()).startsWith("deepcuts: chapter 'actors' has no benchmarks yet");
    }
}
