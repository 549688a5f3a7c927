package dev.deepcuts.bench.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.instruction.InvokeInstruction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The clock-read counter: what it rewrites, and a real count in a JVM with the agent. */
class ClockReadsTest {

    /** A class that reads clocks in each of the ways the agent redirects. */
    static final class ReadsClocks {
        long all(Clock clock) {
            Instant a = Instant.now();
            Instant b = clock.instant();
            return System.nanoTime() + System.currentTimeMillis() + clock.millis() + a.getNano() + b.getNano();
        }

        long none() {
            return 42;
        }
    }

    @Test
    void everyClockReadIsRedirectedToTheCounterAndAClassWithoutOneIsLeftAlone() throws Exception {
        byte[] bytes;
        try (InputStream in = ReadsClocks.class.getResourceAsStream("ClockReadsTest$ReadsClocks.class")) {
            bytes = in.readAllBytes();
        }
        byte[] rewritten = ClockReads.rewrite(bytes);
        assertThat(rewritten).isNotNull();
        List<String> calls = new ArrayList<>();
        for (var m : ClassFile.of().parse(rewritten).methods()) {
            m.code().ifPresent(code -> code.forEach(e -> {
                if (e instanceof InvokeInstruction i) {
                    calls.add(i.owner().asInternalName() + "." + i.name().stringValue());
                }
            }));
        }
        String counter = ClockReads.class.getName().replace('.', '/');
        assertThat(calls).contains(counter + ".instantNow", counter + ".instant", counter + ".nanoTime",
                counter + ".currentTimeMillis", counter + ".millis");
        assertThat(calls).noneMatch(c -> c.equals("java/lang/System.nanoTime") || c.equals("java/time/Clock.instant"));

        try (InputStream in = StubDriver.class.getResourceAsStream("StubDriver.class")) {
            assertThat(ClockReads.rewrite(in.readAllBytes())).as("the stub driver reads no clock").isNull();
        }
    }

    @Test
    void countsThePoolsClockReadsPerCycleInAJvmWithTheAgent() throws Exception {
        Map<Contender, Map<Cycle, Double>> reads = ClockReads.inChildJvm(List.of(Contender.OURS, Contender.HIKARI),
                Duration.ofMinutes(1));
        assertThat(reads).containsOnlyKeys(Contender.OURS, Contender.HIKARI);
        assertThat(reads.get(Contender.OURS)).containsOnlyKeys(Cycle.values());
        // HikariCP reads its clock when a borrow starts, when it ends and when the connection is returned
        assertThat(reads.get(Contender.HIKARI).get(Cycle.BORROW_RETURN)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void parsesTheChildsLinesAndIgnoresTheRest() {
        var reads = ClockReads.parse("SLF4J: something\nclock-reads hikari borrowReturn 3.0000\nclock-reads ours statement 0.0000\n");
        assertThat(reads.get(Contender.HIKARI).get(Cycle.BORROW_RETURN)).isEqualTo(3.0);
        assertThat(reads.get(Contender.OURS).get(Cycle.STATEMENT)).isEqualTo(0.0);
    }
}
