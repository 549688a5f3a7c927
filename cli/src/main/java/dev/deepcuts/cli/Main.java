package dev.deepcuts.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import dev.deepcuts.core.Bench;
import dev.deepcuts.core.BenchContext;
import dev.deepcuts.core.BenchResult;
import dev.deepcuts.core.Catalog;
import dev.deepcuts.core.Chapters;
import dev.deepcuts.core.Lab;
import dev.deepcuts.core.LabRun;
import dev.deepcuts.core.LabRunner;
import dev.deepcuts.core.Param;
import dev.deepcuts.core.Progress;
import dev.deepcuts.core.Repo;
import dev.deepcuts.core.Table;
import dev.deepcuts.core.UsageException;
import dev.deepcuts.core.book.Book;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code deepcuts} command: list, lab, tour, bench and book. Exit codes: 0 all well, 1 a claim
 * (or the book check) failed, 2 a usage mistake (one line on standard error, never a stack trace),
 * 3 an internal error.
 */
@Command(name = "deepcuts", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Ten systems topics, built for real, measured, and explained.",
        subcommands = {Main.ListCommand.class, Main.LabCommand.class, Main.TourCommand.class,
                Main.BenchCommand.class, Main.BookCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    static final int OK = 0;
    static final int CLAIM_FAILED = 1;
    static final int USAGE = 2;
    static final int INTERNAL = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs the command line with the given streams and returns the exit code (tests call this). */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        var cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setExitCodeExceptionMapper(e -> e instanceof UsageException ? USAGE : INTERNAL);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("deepcuts: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof UsageException) {
                err.println("deepcuts: " + ex.getMessage());
                return USAGE;
            }
            err.println("deepcuts: internal error: " + ex);
            ex.printStackTrace(err);
            return INTERNAL;
        });
        for (CommandLine sub : cli.getSubcommands().values()) bind(sub, out);
        return cli.execute(args);
    }

    private static void bind(CommandLine cmd, PrintStream out) {
        if (cmd.getCommand() instanceof Base base) base.out = out;
        for (CommandLine sub : cmd.getSubcommands().values()) bind(sub, out);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What every subcommand shares: the stream it prints to. */
    abstract static class Base implements Callable<Integer> {
        PrintStream out = System.out;

        Progress.Factory progress() {
            return Progress.to(out, out == System.out && Progress.stdoutIsTerminal());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Chapters, their labs and benches, one line each.")
    static final class ListCommand extends Base {
        @Option(names = "--params", description = "Also list each lab's parameters.")
        boolean params;

        @Override
        public Integer call() {
            Catalog catalog = Catalog.load();
            for (var chapter : Chapters.ALL) {
                List<Lab> labs = catalog.labs().stream().filter(l -> l.chapter().equals(chapter.id())).toList();
                List<Bench> benches = catalog.benches().stream().filter(b -> b.chapter().equals(chapter.id())).toList();
                if (labs.isEmpty() && benches.isEmpty()) {
                    out.printf(Locale.ROOT, "%2d %-17s (not written yet)%n", chapter.number(), chapter.id());
                    continue;
                }
                out.printf(Locale.ROOT, "%2d %-17s %s%n", chapter.number(), chapter.id(), chapter.title());
                for (Lab lab : labs) {
                    out.printf(Locale.ROOT, "     lab   %-28s %s%n", lab.chapter() + " " + lab.id(), lab.title());
                    if (params) for (Param p : lab.params()) out.printf(Locale.ROOT, "             --param %s%n", p.describe());
                }
                for (Bench b : benches) out.printf(Locale.ROOT, "     bench %-28s %s%n", b.chapter(), b.title());
            }
            return OK;
        }
    }

    @Command(name = "lab", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Run one lab: print its report, write its JSON result and figures; exit 1 if a claim fails.")
    static final class LabCommand extends Base {
        @Parameters(index = "0", paramLabel = "CHAPTER", description = "Chapter id, e.g. bloom.")
        String chapter;

        @Parameters(index = "1", paramLabel = "LAB", description = "Lab id, e.g. fpr.")
        String lab;

        @Option(names = "--quick", description = "Small parameters; finishes in seconds; writes under target/deepcuts/.")
        boolean quick;

        @Option(names = "--seed", paramLabel = "N", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed = LabRunner.DEFAULT_SEED;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the JSON result to FILE.")
        Path json;

        @Option(names = "--out", paramLabel = "DIR", description = "Write figures/ and results/ under DIR instead of the default.")
        Path outDir;

        @Option(names = "--param", paramLabel = "NAME=VALUE", description = "Override a lab parameter (see 'deepcuts list --params').")
        Map<String, String> params = new LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            Catalog catalog = Catalog.load();
            Lab found = catalog.lab(chapter, lab);
            var options = new LabRunner.Options(Repo.root(), seed, quick, params, outDir, json, out, progress());
            LabRun run = LabRunner.run(found, options);
            return run.result().allClaimsHold() ? OK : CLAIM_FAILED;
        }
    }

    @Command(name = "tour", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Run every lab (or one chapter's), then print a summary table.")
    static final class TourCommand extends Base {
        @Option(names = "--quick", description = "Small parameters; writes under target/deepcuts/, never into book/.")
        boolean quick;

        @Option(names = "--chapter", paramLabel = "ID", description = "Only this chapter's labs.")
        String chapter;

        @Option(names = "--seed", paramLabel = "N", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed = LabRunner.DEFAULT_SEED;

        @Option(names = "--out", paramLabel = "DIR", description = "Write figures/ and results/ under DIR instead of the default.")
        Path outDir;

        @Override
        public Integer call() {
            Catalog catalog = Catalog.load();
            List<Lab> labs = chapter == null ? catalog.labs() : catalog.labs(chapter);
            if (labs.isEmpty()) {
                if (chapter != null) throw new UsageException("chapter '" + chapter + "' has no labs yet");
                out.println("no labs are registered yet");
                return OK;
            }
            var options = new LabRunner.Options(Repo.root(), seed, quick, Map.of(), outDir, null, out, progress());
            Table summary = Table.of("tour summary" + (quick ? " (quick)" : ""), "lab", "claims held", "seconds", "verdict");
            boolean allHeld = true;
            long start = System.nanoTime();
            for (Lab lab : labs) {
                try {
                    LabRun run = LabRunner.run(lab, options);
                    boolean held = run.result().allClaimsHold();
                    allHeld &= held;
                    summary.row(run.name(), run.claimsHeld() + "/" + run.result().claims().size() + (held ? "" : " FAIL"),
                            String.format(Locale.ROOT, "%.1f", run.seconds()), run.result().verdict());
                } catch (Exception | AssertionError e) {
                    allHeld = false;
                    out.println("   ERROR: " + lab.chapter() + "/" + lab.id() + " failed: " + e);
                    e.printStackTrace(out);
                    summary.row(lab.chapter() + "/" + lab.id(), "ERROR", "-", String.valueOf(e.getMessage()));
                }
                out.println();
            }
            out.print(summary.render());
            out.printf(Locale.ROOT, "%d labs in %.1fs: %s%n", labs.size(), (System.nanoTime() - start) / 1e9,
                    allHeld ? "every claim held" : "SOME CLAIMS FAILED");
            return allHeld ? OK : CLAIM_FAILED;
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Benchmark a chapter's library against its peers in the same run and print the ratios.")
    static final class BenchCommand extends Base {
        @Parameters(index = "0", paramLabel = "CHAPTER", description = "Chapter id, e.g. bloom.")
        String chapter;

        @Option(names = "--quick", description = "Seconds, not minutes; writes under target/deepcuts/.")
        boolean quick;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the JSON result to FILE.")
        Path json;

        @Override
        public Integer call() throws Exception {
            Catalog catalog = Catalog.load();
            List<Bench> benches = catalog.benches(chapter);
            Path root = Repo.root();
            var context = new BenchContext(quick, out, progress());
            List<BenchResult.Row> rows = new ArrayList<>();
            for (Bench b : benches) {
                out.println("== bench " + b.chapter() + ": " + b.title() + (quick ? " (quick)" : ""));
                rows.addAll(b.run(context).rows());
            }
            String command = "./deepcuts bench " + chapter + (quick ? " --quick" : "");
            var result = new BenchResult(chapter, command, BenchResult.describeMachine(), rows);
            out.println();
            out.print(result.table().render());
            Path file = (quick ? root.resolve("target/deepcuts") : root.resolve("book")).resolve("results").resolve("bench-" + chapter + ".json");
            LabRunner.writeBench(result, file);
            if (json != null) LabRunner.writeBench(result, json);
            out.println("   result: " + root.relativize(file.toAbsolutePath().normalize()));
            return OK;
        }
    }

    @Command(name = "book", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Keep the chapters in step with the code and the results.",
            subcommands = {BookCheck.class, BookSync.class})
    static final class BookCommand extends Base {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            throw new CommandLine.ParameterException(spec.commandLine(), "book needs a subcommand: check or sync");
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Fail if a listing differs from its source region, a value from its result, or a shown figure is missing.")
    static final class BookCheck extends Base {
        @Override
        public Integer call() {
            List<Book.Problem> problems = Book.check(Repo.root());
            problems.forEach(p -> out.println(p));
            out.println(problems.isEmpty() ? "book check: ok" : "book check: " + problems.size() + " problem(s)");
            return problems.isEmpty() ? OK : CLAIM_FAILED;
        }
    }

    @Command(name = "sync", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Rewrite listings from their source regions and values from their results.")
    static final class BookSync extends Base {
        @Override
        public Integer call() {
            Book.SyncReport report = Book.sync(Repo.root());
            report.problems().forEach(p -> out.println(p));
            out.printf(Locale.ROOT, "book sync: %d listing(s) and %d value(s) rewritten%s%n", report.listingsRewritten(), report.valuesRewritten(),
                    report.problems().isEmpty() ? "" : "; " + report.problems().size() + " problem(s) need a hand");
            return report.problems().isEmpty() ? OK : CLAIM_FAILED;
        }
    }

    /** The project version, from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"deepcuts " + version(), "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }

        static String version() {
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in == null) return "unknown";
                var p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
