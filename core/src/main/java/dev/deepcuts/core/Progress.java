package dev.deepcuts.core;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Reports how far a long task has come. On a terminal it redraws one bar line in place; when the
 * output is a pipe or a file (CI) it prints a plain line at most every few seconds, so a log stays
 * readable. Tasks that finish within a second print nothing at all.
 *
 * <p>{@link #step} is cheap enough to call per item of work: it reads the clock only about every
 * 10 ms, adapting how many calls it skips to how often it is called. A progress reporter is used
 * from one thread.
 */
public interface Progress extends AutoCloseable {

    /** Adds {@code n} finished steps. */
    void step(long n);

    /** Adds one finished step. */
    default void step() {
        step(1);
    }

    /** Ends the task: a terminal bar is completed and its line ended. */
    @Override
    void close();

    /** Starts reporters; the harness picks one per run. */
    interface Factory {
        Progress start(String task, long total);
    }

    /** A factory that reports nothing (tests). */
    static Factory silent() {
        return (task, total) -> new Progress() {
            @Override
            public void step(long n) {
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * The factory for a real run: a bar when {@code terminal} is true, periodic plain lines
     * otherwise, both on {@code out}.
     */
    static Factory to(PrintStream out, boolean terminal) {
        return (task, total) -> new Reporter(out, terminal, task, total, System::nanoTime);
    }

    /** True when standard output is an interactive terminal. */
    static boolean stdoutIsTerminal() {
        var console = System.console();
        return console != null && console.isTerminal() && System.getenv("CI") == null;
    }

    /** The one implementation: a bar or periodic lines. */
    final class Reporter implements Progress {
        private static final long QUIET_NANOS = 1_000_000_000L;      // nothing shown in the first second
        private static final long BAR_EVERY_NANOS = 100_000_000L;    // redraw a bar at most 10 times a second
        private static final long LINE_EVERY_NANOS = 5_000_000_000L; // a plain line at most every 5 seconds
        private static final int WIDTH = 30;

        private final PrintStream out;
        private final boolean terminal;
        private final String task;
        private final long total;
        private final java.util.function.LongSupplier clock;
        private final long start;
        private long done;
        private static final long CHECK_NANOS = 10_000_000L;
        private long calls;
        private long stride = 1;
        private long nextCheck;
        private long lastCheck;
        private long lastShown;
        private boolean shown;
        private long lastDone;

        Reporter(PrintStream out, boolean terminal, String task, long total, java.util.function.LongSupplier clock) {
            this.out = out;
            this.terminal = terminal;
            this.task = task;
            this.total = Math.max(1, total);
            this.clock = clock;
            this.start = clock.getAsLong();
            this.lastCheck = start;
            this.lastShown = start;
        }

        @Override
        public void step(long n) {
            done += n;
            if (++calls < nextCheck && done < total) return;
            long now = clock.getAsLong();
            // read the clock about every 10 ms: a lab may call step() once per item of a
            // ten-million-item loop, or once per second-long phase; the stride adapts to both
            long sinceCheck = now - lastCheck;
            lastCheck = now;
            if (sinceCheck < CHECK_NANOS) stride = Math.min(stride * 2, 1 << 20);
            else if (sinceCheck > 10 * CHECK_NANOS) stride = Math.max(1, stride / 2);
            nextCheck = calls + stride;
            if (now - start < QUIET_NANOS) return;
            long every = terminal ? BAR_EVERY_NANOS : LINE_EVERY_NANOS;
            if (shown && now - lastShown < every) return;
            lastShown = now;
            shown = true;
            lastDone = done;
            show(now, false);
        }

        @Override
        public void close() {
            if (!shown) return;
            // a plain-line reporter that already printed the final count need not repeat it; a bar
            // is always redrawn once more so that its line is ended
            if (!terminal && lastDone == done) return;
            show(clock.getAsLong(), true);
        }

        private void show(long now, boolean last) {
            double fraction = Math.min(1.0, (double) done / total);
            double seconds = (now - start) / 1e9;
            if (terminal) {
                int filled = (int) Math.round(fraction * WIDTH);
                String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
                String eta = fraction > 0 && !last ? String.format(Locale.ROOT, ", %.0fs left", seconds / fraction - seconds) : "";
                out.print(String.format(Locale.ROOT, "\r  %s [%s] %3.0f%% (%.1fs%s)   ", task, bar, fraction * 100, seconds, eta));
                if (last) out.println();
            } else {
                out.println(String.format(Locale.ROOT, "  %s: %.0f%% (%d/%d) after %.1fs", task, fraction * 100, done, total, seconds));
            }
            out.flush();
        }
    }
}
