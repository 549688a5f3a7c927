package dev.deepcuts.core;

import java.io.PrintStream;
import java.util.Objects;

/**
 * What a running bench may ask of the harness: quick or full, where to print, progress.
 *
 * @param quick    true for a run of seconds (CI); full runs are what chapters quote
 * @param out      where the bench prints its running report
 * @param progress progress reporters
 */
public record BenchContext(boolean quick, PrintStream out, Progress.Factory progress) {
    public BenchContext {
        Objects.requireNonNull(out);
        Objects.requireNonNull(progress);
    }
}
