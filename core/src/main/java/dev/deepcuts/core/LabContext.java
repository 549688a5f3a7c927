package dev.deepcuts.core;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Everything a running lab may ask of its harness: the seed and a generator seeded from it, whether
 * this is a quick run, the resolved parameter values, where output goes, a progress reporter and a
 * place to print lines of its report while it runs.
 *
 * <p>Parameter values are resolved before the lab starts: the quick or full default, overridden by
 * {@code --param}; the getters check the type and fail loudly if the lab asks for a name it did not
 * declare, which is a bug in the lab, not a user mistake.
 */
public final class LabContext {

    private final Lab lab;
    private final long seed;
    private final boolean quick;
    private final Map<String, Object> params;
    private final Path outputDir;
    private final PrintStream out;
    private final Progress.Factory progress;
    private final SplittableRandom random;

    LabContext(Lab lab, long seed, boolean quick, Map<String, Object> params, Path outputDir,
               PrintStream out, Progress.Factory progress) {
        this.lab = Objects.requireNonNull(lab);
        this.seed = seed;
        this.quick = quick;
        this.params = Map.copyOf(params);
        this.outputDir = Objects.requireNonNull(outputDir);
        this.out = Objects.requireNonNull(out);
        this.progress = Objects.requireNonNull(progress);
        this.random = new SplittableRandom(seed);
    }

    /** The seed of this run; printed in every report so a run can be replayed. */
    public long seed() {
        return seed;
    }

    /** True for {@code --quick}: the lab should finish in seconds. */
    public boolean quick() {
        return quick;
    }

    /**
     * The run's generator, seeded from {@link #seed()}. Labs that need independent streams (one
     * per replica, one per thread) should {@link SplittableRandom#split() split} it.
     */
    public SplittableRandom random() {
        return random;
    }

    /** A fresh generator for a named purpose, independent of the others but fixed by the seed. */
    public SplittableRandom random(String purpose) {
        return new SplittableRandom(seed ^ Mix.fmix64(purpose.hashCode() * 0x9E3779B97F4A7C15L));
    }

    /** The folder this run writes into ({@code book/} for full runs, {@code target/deepcuts/} for quick ones). */
    public Path outputDir() {
        return outputDir;
    }

    /**
     * A new, empty scratch folder for files the lab creates (run files, logs), in the system's
     * temporary folder, never under {@code book/}. The lab deletes it when done.
     */
    public Path workDir() throws java.io.IOException {
        return java.nio.file.Files.createTempDirectory("deepcuts-" + lab.chapter() + "-" + lab.id() + "-");
    }

    /** Prints one line of the lab's running report. */
    public void log(String format, Object... args) {
        out.println(args.length == 0 ? format : String.format(java.util.Locale.ROOT, format, args));
    }

    /** Starts a progress reporter for a task of {@code total} steps. Close it when the task ends. */
    public Progress progress(String task, long total) {
        return progress.start(task, total);
    }

    public int intParam(String name) {
        return (Integer) param(name, Param.Type.INT);
    }

    public long longParam(String name) {
        return (Long) param(name, Param.Type.LONG);
    }

    public double doubleParam(String name) {
        return (Double) param(name, Param.Type.DOUBLE);
    }

    public boolean booleanParam(String name) {
        return (Boolean) param(name, Param.Type.BOOLEAN);
    }

    public String stringParam(String name) {
        return (String) param(name, Param.Type.STRING);
    }

    @SuppressWarnings("unchecked")
    public List<Integer> intListParam(String name) {
        return (List<Integer>) param(name, Param.Type.INT_LIST);
    }

    @SuppressWarnings("unchecked")
    public List<Double> doubleListParam(String name) {
        return (List<Double>) param(name, Param.Type.DOUBLE_LIST);
    }

    /** The resolved values of every parameter, as written to the JSON result. */
    public Map<String, Object> params() {
        return params;
    }

    private Object param(String name, Param.Type type) {
        Param declared = lab.params().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("lab " + lab.chapter() + "/" + lab.id()
                        + " asked for parameter '" + name + "' that it does not declare"));
        if (declared.type() != type) {
            throw new IllegalStateException("lab " + lab.chapter() + "/" + lab.id() + " reads parameter '" + name
                    + "' as " + type + " but declares it as " + declared.type());
        }
        return params.get(name);
    }

    /** Small mixing helpers shared by the harness. */
    static final class Mix {
        private Mix() {
        }

        /** MurmurHash3's 64-bit finaliser: spreads the bits of a seed. */
        static long fmix64(long k) {
            k ^= k >>> 33;
            k *= 0xff51afd7ed558ccdL;
            k ^= k >>> 33;
            k *= 0xc4ceb9fe1a85ec53L;
            k ^= k >>> 33;
            return k;
        }
    }
}
