package dev.deepcuts.core.book;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Keeps the book and the code in one piece (DESIGN.md, "The chapter standard").
 *
 * <p>A chapter includes a listing cut from a marked region of real source:
 *
 * <pre>{@code
 * <!-- include: bloom/src/main/java/dev/deepcuts/bloom/BloomFilter.java#probe -->
 * ```java
 * ...the region's text...
 * ```
 * <!-- /include -->
 * }</pre>
 *
 * quotes a number of ours from a lab's or a bench's JSON result:
 *
 * <pre>{@code
 * <!-- value: bloom/fpr metrics.measured_fpr.value %.4f -->0.0082<!-- /value -->
 * <!-- value: bench/bloom rows[case=negative lookup].ours %.1f -->6.3<!-- /value -->
 * }</pre>
 *
 * (the source {@code bloom/fpr} is {@code book/results/bloom-fpr.json}, {@code bench/bloom} is
 * {@code book/results/bench-bloom.json}; the path walks object fields, array indices and
 * {@code [field=value]} selectors; a {@code *100} suffix scales the number before formatting), and
 * shows figures as {@code ![…](figures/bloom-fpr.png)}.
 *
 * <p>{@link #check} reports every listing that differs from its region, every missing file,
 * region, result or figure, every value that differs from its result, and every malformed region
 * marker anywhere in the sources, each with file, line and cause. {@link #sync} rewrites listings
 * and values from the sources and results.
 */
public final class Book {

    /** One thing wrong, at a 1-based line of a file (a path relative to the repository root). */
    public record Problem(String file, int line, String cause) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + cause;
        }
    }

    /** What {@link #sync} did: how many listings and values it rewrote and what it could not fix. */
    public record SyncReport(int listingsRewritten, int valuesRewritten, List<Problem> problems) {
    }

    private static final Pattern INCLUDE = Pattern.compile("^(\\s*)<!--\\s*include:\\s*(\\S+?)\\s*-->\\s*$");
    private static final Pattern INCLUDE_END = Pattern.compile("^\\s*<!--\\s*/include\\s*-->\\s*$");
    private static final Pattern VALUE = Pattern.compile("<!--\\s*value:\\s*(.+?)\\s*-->(.*?)<!--\\s*/value\\s*-->");
    private static final Pattern IMAGE = Pattern.compile("!\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern SCALE = Pattern.compile("^(.*)\\*([0-9.eE+-]+)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Map<Path, Regions.Parsed> sources = new HashMap<>();
    private final Map<Path, JsonNode> results = new HashMap<>();

    private Book(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Checks every chapter under {@code root/book} and every region marker under the modules' sources. */
    public static List<Problem> check(Path root) {
        var book = new Book(root);
        List<Problem> problems = new ArrayList<>(book.markerProblems());
        for (Path chapter : book.chapters()) {
            String text = read(chapter);
            problems.addAll(book.process(chapter, text, new StringBuilder(), new int[2]));
        }
        return problems;
    }

    /** Rewrites listings and values of every chapter from the sources and results. */
    public static SyncReport sync(Path root) {
        var book = new Book(root);
        List<Problem> problems = new ArrayList<>(book.markerProblems());
        int listings = 0;
        int values = 0;
        for (Path chapter : book.chapters()) {
            String text = read(chapter);
            var out = new StringBuilder();
            int[] counts = new int[2];
            List<Problem> found = book.process(chapter, text, out, counts);
            // problems that sync fixes (stale text) are not reported; anything else is
            for (Problem p : found) if (!p.cause().startsWith("stale")) problems.add(p);
            if (!out.toString().equals(text)) {
                try {
                    Files.writeString(chapter, out.toString());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            listings += counts[0];
            values += counts[1];
        }
        return new SyncReport(listings, values, problems);
    }

    private List<Path> chapters() {
        Path dir = root.resolve("book");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("\\d\\d-.*\\.md")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Walks one chapter, appending the synced text to {@code out} and counting rewritten listings
     * ({@code counts[0]}) and values ({@code counts[1]}); returns the problems. A problem whose
     * cause starts with "stale" is one that sync repairs.
     */
    private List<Problem> process(Path chapter, String text, StringBuilder out, int[] counts) {
        String name = rel(chapter);
        List<Problem> problems = new ArrayList<>();
        List<String> lines = text.lines().toList();
        boolean inFence = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher inc = INCLUDE.matcher(line);
            if (!inFence && inc.matches()) {
                int end = -1;
                for (int j = i + 1; j < lines.size(); j++) {
                    if (INCLUDE_END.matcher(lines.get(j)).matches()) {
                        end = j;
                        break;
                    }
                    if (INCLUDE.matcher(lines.get(j)).matches()) break;
                }
                String target = inc.group(2);
                String indent = inc.group(1);
                if (end < 0) {
                    problems.add(new Problem(name, i + 1, "include of " + target + " is never closed with <!-- /include -->"));
                    out.append(line).append('\n');
                    continue;
                }
                String current = String.join("\n", lines.subList(i + 1, end));
                current = current.isEmpty() ? "" : current + "\n";
                String wanted = indent(listing(target, name, i + 1, problems), indent);
                out.append(line).append('\n');
                if (wanted != null && !wanted.equals(current)) {
                    problems.add(new Problem(name, i + 1, "stale listing of " + target + ": it differs from the source (run ./deepcuts book sync)"));
                    out.append(wanted);
                    counts[0]++;
                } else {
                    out.append(current);
                }
                out.append(lines.get(end)).append('\n');
                i = end;
                continue;
            }
            if (line.strip().startsWith("```")) inFence = !inFence;
            if (inFence) {
                out.append(line).append('\n');
                continue;
            }
            out.append(values(line, name, i + 1, problems, counts)).append('\n');
            Matcher img = IMAGE.matcher(line);
            while (img.find()) {
                String target = img.group(1);
                if (target.contains("://")) continue;
                Path file = chapter.getParent().resolve(target).normalize();
                if (!Files.isRegularFile(file)) {
                    problems.add(new Problem(name, i + 1, "figure " + target + " does not exist (" + rel(file) + "): run the lab that draws it, without --quick"));
                }
            }
        }
        return problems;
    }

    /** Indents every non-empty line of a listing (an include inside a list item), or returns null for null. */
    private static String indent(String listing, String indent) {
        if (listing == null || indent.isEmpty()) return listing;
        var sb = new StringBuilder();
        for (String l : listing.split("\n", -1)) {
            if (!sb.isEmpty()) sb.append('\n');
            sb.append(l.isEmpty() ? "" : indent + l);
        }
        return sb.toString();
    }

    /** The fenced listing for an include target, or null (with a problem) when it cannot be made. */
    private String listing(String target, String chapter, int line, List<Problem> problems) {
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String region = hash < 0 ? null : target.substring(hash + 1);
        Path path = root.resolve(file).normalize();
        if (!path.startsWith(root) || !Files.isRegularFile(path)) {
            problems.add(new Problem(chapter, line, "included file " + file + " does not exist"));
            return null;
        }
        String body;
        if (region == null) {
            body = read(path);
            if (!body.endsWith("\n")) body += "\n";
        } else {
            Regions.Parsed parsed = sources.computeIfAbsent(path, p -> Regions.parse(read(p)));
            body = parsed.regions().get(region);
            if (body == null) {
                problems.add(new Problem(chapter, line, "region '" + region + "' not found in " + file
                        + (parsed.regions().isEmpty() ? " (it has no complete regions)" : "; its regions: " + String.join(", ", parsed.regions().keySet()))));
                return null;
            }
        }
        return "```" + language(file) + "\n" + body + "```\n";
    }

    private String values(String line, String chapter, int lineNo, List<Problem> problems, int[] counts) {
        Matcher m = VALUE.matcher(line);
        if (!m.find()) return line;
        m.reset();
        var sb = new StringBuilder();
        while (m.find()) {
            String spec = m.group(1);
            String shown = m.group(2);
            String wanted = value(spec, chapter, lineNo, problems);
            String replacement = m.group();
            if (wanted != null && !wanted.equals(shown)) {
                problems.add(new Problem(chapter, lineNo, "stale value '" + shown + "' for " + spec + ": the result says '" + wanted + "' (run ./deepcuts book sync)"));
                replacement = "<!-- value: " + spec + " -->" + wanted + "<!-- /value -->";
                counts[1]++;
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Formats the value a spec names, or null (with a problem). */
    private String value(String spec, String chapter, int line, List<Problem> problems) {
        String[] tokens = spec.trim().split("\\s+");
        if (tokens.length < 3 || !tokens[tokens.length - 1].startsWith("%")) {
            problems.add(new Problem(chapter, line, "value '" + spec + "' must read 'SOURCE PATH FORMAT', e.g. 'bloom/fpr metrics.measured_fpr.value %.4f'"));
            return null;
        }
        String source = tokens[0];
        String format = tokens[tokens.length - 1];
        String path = String.join(" ", java.util.Arrays.copyOfRange(tokens, 1, tokens.length - 1));
        double scale = 1;
        Matcher sc = SCALE.matcher(path);
        if (sc.matches()) {
            path = sc.group(1);
            scale = Double.parseDouble(sc.group(2));
        }
        String[] parts = source.split("/");
        if (parts.length != 2) {
            problems.add(new Problem(chapter, line, "value source '" + source + "' must be CHAPTER/LAB or bench/CHAPTER"));
            return null;
        }
        String fileName = parts[0].equals("bench") ? "bench-" + parts[1] + ".json" : parts[0] + "-" + parts[1] + ".json";
        Path file = root.resolve("book").resolve("results").resolve(fileName);
        JsonNode tree = results.computeIfAbsent(file, f -> Files.isRegularFile(f) ? readJson(f) : null);
        if (tree == null) {
            String cmd = parts[0].equals("bench") ? "./deepcuts bench " + parts[1] : "./deepcuts lab " + parts[0] + " " + parts[1];
            problems.add(new Problem(chapter, line, "result " + rel(file) + " does not exist: run " + cmd + " (without --quick)"));
            return null;
        }
        JsonNode node;
        try {
            node = JsonPath.resolve(tree, path);
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(chapter, line, "value path '" + path + "' in " + rel(file) + ": " + e.getMessage()));
            return null;
        }
        try {
            if (node.isNumber() || (node.isTextual() && isNumber(node.asText()))) {
                double v = node.asDouble() * scale;
                if (format.endsWith("d")) return String.format(Locale.ROOT, format, Math.round(v));
                return String.format(Locale.ROOT, format, v);
            }
            return String.format(Locale.ROOT, format, node.isTextual() ? node.asText() : node.toString());
        } catch (java.util.IllegalFormatException e) {
            problems.add(new Problem(chapter, line, "format '" + format + "' does not fit the value at " + path + " (" + node + ")"));
            return null;
        }
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Malformed region markers anywhere in the modules' sources. */
    private List<Problem> markerProblems() {
        List<Problem> problems = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(p -> Files.isDirectory(p.resolve("src"))).sorted().toList()) {
                try (Stream<Path> files = Files.walk(module.resolve("src"))) {
                    for (Path f : files.filter(Files::isRegularFile).filter(Book::isSource).sorted().toList()) {
                        String text = read(f);
                        if (!text.contains("region")) continue;
                        Regions.Parsed parsed = Regions.parse(text);
                        sources.put(f.toAbsolutePath().normalize(), parsed);
                        for (var p : parsed.problems()) problems.add(new Problem(rel(f), p.line(), p.cause()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return problems;
    }

    private static boolean isSource(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".java") || n.endsWith(".py") || n.endsWith(".erl") || n.endsWith(".sql")
                || n.endsWith(".sh") || n.endsWith(".js") || n.endsWith(".mjs");
    }

    private static String language(String file) {
        String n = file.toLowerCase(Locale.ROOT);
        if (n.endsWith(".java")) return "java";
        if (n.endsWith(".py")) return "python";
        if (n.endsWith(".erl")) return "erlang";
        if (n.endsWith(".sql")) return "sql";
        if (n.endsWith(".sh")) return "bash";
        if (n.endsWith(".js") || n.endsWith(".mjs")) return "javascript";
        if (n.endsWith(".xml") || n.endsWith(".pom")) return "xml";
        if (n.endsWith(".json")) return "json";
        return "";
    }

    private String rel(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readJson(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }
}
