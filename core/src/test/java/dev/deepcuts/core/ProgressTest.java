package dev.deepcuts.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long now;

    private Progress reporter(boolean terminal, long total) {
        return new Progress.Reporter(out, terminal, "work", total, () -> now);
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aTaskShorterThanASecondPrintsNothing() {
        var p = reporter(true, 10);
        for (int i = 0; i < 10; i++) {
            now += 50_000_000L;
            p.step();
        }
        p.close();
        assertThat(printed()).isEmpty();
    }

    @Test
    void aTerminalGetsABarRedrawnInPlaceForCoarseSteps() {
        var p = reporter(true, 4);
        for (int i = 0; i < 4; i++) {
            now += 2_000_000_000L; // each step takes two seconds
            p.step();
        }
        p.close();
        assertThat(printed()).contains("\r  work [", "]  25%", "]  50%", "]  75%", "] 100%");
        assertThat(printed().chars().filter(c -> c == '\n').count()).as("one line, redrawn with carriage returns").isEqualTo(1);
    }

    @Test
    void aPipeGetsAPlainLineAtMostEveryFiveSeconds() {
        var p = reporter(false, 1_000_000);
        for (int i = 0; i < 1_000_000; i++) {
            now += 20_000L; // 20 µs per item: 20 s in all
            p.step();
        }
        p.close();
        var lines = printed().lines().toList();
        assertThat(lines).allMatch(l -> l.startsWith("  work: ")).last().asString().contains("100% (1000000/1000000)");
        assertThat(lines.size()).isBetween(3, 6);
    }
}
