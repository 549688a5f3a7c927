package dev.deepcuts.core;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Runs one lab: resolves its parameters, runs it with a seeded context, draws its charts, writes its
 * JSON result and prints the report. The CLI and every lab test go through here, so a lab behaves
 * the same on the command line and under {@code ./mvnw verify}.
 *
 * <p>Where output goes (DESIGN.md): a full run writes into {@code book/figures} and
 * {@code book/results}, the files the chapters quote; a quick run writes under
 * {@code target/deepcuts/} and so can never overwrite a book figure; {@link Options#outDir} sends
 * either elsewhere.
 */
public final class LabRunner {

    /** The default seed, so two people running the same command see the same numbers. */
    public static final long DEFAULT_SEED = 42;

    /**
     * How to run.
     *
     * @param root      the repository root (for {@code book/} and {@code target/}, and to print paths relative to it)
     * @param seed      the seed
     * @param quick     quick mode
     * @param overrides {@code --param name=value} pairs, as text
     * @param outDir    an explicit output folder, or null for the default of the mode
     * @param jsonFile  an extra copy of the JSON result, or null
     * @param out       where the report goes
     * @param progress  progress reporters
     */
    public record Options(Path root, long seed, boolean quick, Map<String, String> overrides, Path outDir,
                          Path jsonFile, PrintStream out, Progress.Factory progress) {
        public Options {
            Objects.requireNonNull(root);
            overrides = Map.copyOf(overrides);
            Objects.requireNonNull(out);
            Objects.requireNonNull(progress);
        }

        /** Quick, default seed, silent progress: what lab tests use. */
        public static Options quickTest(Path root, PrintStream out) {
            return new Options(root, DEFAULT_SEED, true, Map.of(), null, null, out, Progress.silent());
        }

        /** The same options with other parameter overrides. */
        public Options withOverrides(Map<String, String> params) {
            return new Options(root, seed, quick, params, outDir, jsonFile, out, progress);
        }

        /** The folder that holds {@code figures/} and {@code results/} for this run. */
        public Path baseDir() {
            if (outDir != null) return outDir;
            return quick ? root.resolve("target").resolve("deepcuts") : root.resolve("book");
        }
    }

    private LabRunner() {
    }

    /**
     * Resolves the lab's parameters: each one's default for the mode, overridden by
     * {@code overrides}; an unknown name or a malformed value is a {@link UsageException} naming
     * the lab's parameters and their types.
     */
    public static Map<String, Object> resolveParams(Lab lab, boolean quick, Map<String, String> overrides) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Param p : lab.params()) values.put(p.name(), p.defaultFor(quick));
        for (var e : overrides.entrySet()) {
            Param p = lab.params().stream().filter(q -> q.name().equals(e.getKey())).findFirst()
                    .orElseThrow(() -> new UsageException("lab " + lab.chapter() + "/" + lab.id() + " has no parameter '" + e.getKey()
                            + "'; its parameters are: " + describeParams(lab)));
            values.put(p.name(), p.parse(e.getValue()));
        }
        return values;
    }

    /** "keys (integer, default …): …; bitsPerKey (…)" or "none". */
    public static String describeParams(Lab lab) {
        if (lab.params().isEmpty()) return "none";
        var parts = new ArrayList<String>();
        for (Param p : lab.params()) parts.add(p.name() + " (" + p.type().expected() + ")");
        return String.join(", ", parts);
    }

    /** Runs the lab and returns the finished run; the caller decides the exit code from its claims. */
    public static LabRun run(Lab lab, Options options) throws Exception {
        Map<String, Object> params = resolveParams(lab, options.quick(), options.overrides());
        PrintStream out = options.out();
        out.printf(Locale.ROOT, "== %s/%s: %s%n", lab.chapter(), lab.id(), lab.title());
        out.printf(Locale.ROOT, "   seed %d%s; %s%n", options.seed(), options.quick() ? ", quick" : "", formatParams(params));

        Path base = options.baseDir();
        var context = new LabContext(lab, options.seed(), options.quick(), params, base, out, options.progress());
        long start = System.nanoTime();
        LabResult result = lab.run(context);
        double seconds = (System.nanoTime() - start) / 1e9;

        List<String> figures = new ArrayList<>();
        for (Chart chart : result.charts()) {
            Path file = base.resolve("figures").resolve(chart.name() + ".png");
            ChartRenderer.render(chart, file);
            figures.add(display(options.root(), file));
        }
        var run = new LabRun(lab.chapter(), lab.id(), options.seed(), options.quick(), params, result, figures, seconds);
        Path json = base.resolve("results").resolve(lab.chapter() + "-" + lab.id() + ".json");
        ResultJson.write(run, json);
        if (options.jsonFile() != null) ResultJson.write(run, options.jsonFile());

        printReport(run, out);
        out.printf(Locale.ROOT, "   result: %s%n", display(options.root(), json));
        return run;
    }

    /** Prints tables, metrics, claims, verdict and figures. */
    public static void printReport(LabRun run, PrintStream out) {
        out.println();
        for (Table t : run.result().tables()) {
            out.print(t.render());
            out.println();
        }
        if (!run.result().metrics().isEmpty()) {
            Table m = Table.of("metrics", "metric", "value", "unit");
            run.result().metrics().forEach((k, v) -> m.row(k, v.value(), v.unit()));
            out.print(m.render());
            out.println();
        }
        for (Claim c : run.result().claims()) {
            out.printf(Locale.ROOT, "   [%s] %s%n", c.holds() ? " ok " : "FAIL", c.text());
        }
        out.printf(Locale.ROOT, "   verdict: %s%n", run.result().verdict());
        for (String f : run.figures()) out.printf(Locale.ROOT, "   figure: %s%n", f);
        out.printf(Locale.ROOT, "   %d of %d claims held in %.1fs (seed %d)%n", run.claimsHeld(), run.result().claims().size(), run.seconds(), run.seed());
    }

    static String formatParams(Map<String, Object> params) {
        if (params.isEmpty()) return "no parameters";
        var parts = new ArrayList<String>();
        params.forEach((k, v) -> parts.add(k + "=" + Param.format(v)));
        return String.join(" ", parts);
    }

    /** A path relative to the repository root when it lies inside it, absolute otherwise. */
    static String display(Path root, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path r = root.toAbsolutePath().normalize();
        return abs.startsWith(r) ? r.relativize(abs).toString() : abs.toString();
    }

    /** Writes a bench result's JSON (the bench command's {@code --json}, and book/results for full runs). */
    public static void writeBench(BenchResult result, Path file) throws IOException {
        ResultJson.writeTree(result.toJson(), file);
    }
}
