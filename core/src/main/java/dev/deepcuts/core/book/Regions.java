package dev.deepcuts.core.book;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the marked regions of a source file:
 *
 * <pre>
 * // region probe
 * ...
 * // endregion probe
 * </pre>
 *
 * The comment may be {@code //}, {@code #}, {@code --} or {@code %} (Java, Python and shell, SQL,
 * Erlang). Regions may overlap or nest if their names differ; the marker lines of other regions
 * are left out of a region's text, and the text is dedented by its common indentation so a listing
 * from inside a method reads flush left.
 */
public final class Regions {

    private static final Pattern MARKER = Pattern.compile("^\\s*(?://|#|--|%+)\\s*(region|endregion)\\b\\s*(\\S*)\\s*$");

    /** A problem with the markers of one file, at a 1-based line. */
    public record MarkerProblem(int line, String cause) {
    }

    /** The regions of a file and any marker problems. */
    public record Parsed(Map<String, String> regions, List<MarkerProblem> problems) {
    }

    private Regions() {
    }

    /** Parses the text of a source file. */
    public static Parsed parse(String text) {
        List<String> lines = text.lines().toList();
        Map<String, Integer> open = new LinkedHashMap<>();
        Map<String, List<String>> bodies = new LinkedHashMap<>();
        Map<String, String> done = new LinkedHashMap<>();
        List<MarkerProblem> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher m = MARKER.matcher(line);
            if (m.matches()) {
                String kind = m.group(1);
                String name = m.group(2);
                if (name.isEmpty()) {
                    problems.add(new MarkerProblem(i + 1, kind + " marker without a name"));
                } else if (kind.equals("region")) {
                    if (open.containsKey(name)) {
                        problems.add(new MarkerProblem(i + 1, "region '" + name + "' opened again before it was closed (opened at line " + open.get(name) + ")"));
                    } else if (done.containsKey(name)) {
                        problems.add(new MarkerProblem(i + 1, "region '" + name + "' defined twice"));
                    } else {
                        open.put(name, i + 1);
                        bodies.put(name, new ArrayList<>());
                    }
                } else {
                    if (open.remove(name) != null) {
                        done.put(name, dedent(bodies.remove(name)));
                    } else if (done.containsKey(name)) {
                        problems.add(new MarkerProblem(i + 1, "region '" + name + "' closed twice"));
                    } else {
                        problems.add(new MarkerProblem(i + 1, "endregion '" + name + "' without a region"));
                    }
                }
                continue;
            }
            for (List<String> body : bodies.values()) body.add(line);
        }
        open.forEach((name, line) -> problems.add(new MarkerProblem(line, "region '" + name + "' opened and never closed")));
        return new Parsed(done, problems);
    }

    /** Removes the indentation common to all non-blank lines; joins with newlines, ending in one. */
    static String dedent(List<String> lines) {
        int common = Integer.MAX_VALUE;
        for (String l : lines) {
            if (l.isBlank()) continue;
            int n = 0;
            while (n < l.length() && l.charAt(n) == ' ') n++;
            common = Math.min(common, n);
        }
        if (common == Integer.MAX_VALUE) common = 0;
        var sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l.isBlank() ? "" : l.substring(common)).append('\n');
        }
        return sb.toString();
    }
}
