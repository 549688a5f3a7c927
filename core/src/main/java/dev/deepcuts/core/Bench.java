package dev.deepcuts.core;

/**
 * A side-by-side benchmark of one chapter's library against its peers, measured in the same run.
 * Registered with {@link java.util.ServiceLoader} in {@code META-INF/services/dev.deepcuts.core.Bench}
 * (the {@code bench} module), run by {@code ./deepcuts bench <chapter>}.
 */
public interface Bench {

    /** The chapter id this bench measures. */
    String chapter();

    /** One line: what is measured, against whom. */
    String title();

    /** Runs the benchmark; {@link BenchContext#quick()} asks for a run of seconds, not minutes. */
    BenchResult run(BenchContext context) throws Exception;
}
