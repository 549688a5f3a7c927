package dev.deepcuts.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The rows of a benchmark run, each our figure beside every peer's, measured in the same run.
 * JSON: {@code {"chapter", "rows": [{"case", "unit", "better", "ours", "peers": {name: value}}]}}
 * plus the machine and the command, so a quoted number can be traced to where it came from.
 *
 * @param chapter the chapter id
 * @param command the command that produced it ({@code ./deepcuts bench bloom})
 * @param machine a short description of the machine (cores, memory, JVM)
 * @param rows    the cases
 */
public record BenchResult(String chapter, String command, String machine, List<Row> rows) {

    /** Whether a lower or a higher figure is better. */
    public enum Better { LOWER, HIGHER }

    /**
     * One case: e.g. "negative lookup, 10M keys" in ns/op, ours 6.1, Guava 141, FastFilter 23.
     *
     * @param name   the case
     * @param unit   the unit of every figure in the row
     * @param better which direction wins
     * @param ours   our figure
     * @param peers  each peer's figure, by name, in a stable order
     */
    public record Row(String name, String unit, Better better, double ours, Map<String, Double> peers) {
        public Row {
            Objects.requireNonNull(name);
            Objects.requireNonNull(unit);
            Objects.requireNonNull(better);
            peers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(peers));
        }

        /**
         * How many times better ours is than {@code peer}: above 1 means ours wins, below 1 the
         * peer wins; NaN when a figure is missing.
         */
        public double advantageOver(String peer) {
            Double p = peers.get(peer);
            if (p == null || p <= 0 || ours <= 0) return Double.NaN;
            return better == Better.LOWER ? p / ours : ours / p;
        }
    }

    public BenchResult {
        rows = List.copyOf(rows);
    }

    /** Our figure against each peer's, with the ratio, as an aligned table. */
    public Table table() {
        List<String> peers = new ArrayList<>();
        for (Row r : rows) for (String p : r.peers().keySet()) if (!peers.contains(p)) peers.add(p);
        List<String> cols = new ArrayList<>(List.of("case", "unit", "ours"));
        for (String p : peers) {
            cols.add(p);
            cols.add("ours vs " + p);
        }
        Table t = Table.of(chapter + " benchmarks (ratio > 1: ours better)", cols.toArray(String[]::new));
        for (Row r : rows) {
            List<Object> cells = new ArrayList<>(List.of(r.name(), r.unit() + (r.better() == Better.LOWER ? " (lower)" : " (higher)"), r.ours()));
            for (String p : peers) {
                Double v = r.peers().get(p);
                cells.add(v);
                double adv = r.advantageOver(p);
                cells.add(Double.isNaN(adv) ? "-" : String.format(Locale.ROOT, "%.2fx", adv));
            }
            t.row(cells.toArray());
        }
        return t;
    }

    /** The JSON tree of DESIGN.md's bench schema. */
    public ObjectNode toJson() {
        ObjectNode root = ResultJson.MAPPER.createObjectNode();
        root.put("chapter", chapter);
        root.put("command", command);
        root.put("machine", machine);
        ArrayNode arr = root.putArray("rows");
        for (Row r : rows) {
            ObjectNode n = arr.addObject();
            n.put("case", r.name());
            n.put("unit", r.unit());
            n.put("better", r.better().name().toLowerCase(Locale.ROOT));
            n.put("ours", r.ours());
            ObjectNode p = n.putObject("peers");
            r.peers().forEach(p::put);
            ObjectNode ratio = n.putObject("advantage");
            r.peers().keySet().forEach(k -> {
                double a = r.advantageOver(k);
                if (!Double.isNaN(a)) ratio.put(k, Math.round(a * 1000) / 1000.0);
            });
        }
        return root;
    }

    /** "AMD EPYC, 2 cores, last-level cache 32768K, max heap 6028 MiB, Java 25 (Eclipse Adoptium), Linux amd64" */
    public static String describeMachine() {
        Runtime rt = Runtime.getRuntime();
        String cpu = firstLine(java.nio.file.Path.of("/proc/cpuinfo"), "model name");
        String llc = firstLine(java.nio.file.Path.of("/sys/devices/system/cpu/cpu0/cache/index3/size"), "");
        return (cpu.isEmpty() ? "" : cpu + ", ") + rt.availableProcessors() + " cores, "
                + (llc.isEmpty() ? "" : "last-level cache " + llc + ", ")
                + "max heap " + (rt.maxMemory() >> 20) + " MiB, Java "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }

    /** The value of the first line of {@code file} starting with {@code key} ("key : value"), or "". */
    private static String firstLine(java.nio.file.Path file, String key) {
        try (var lines = java.nio.file.Files.lines(file)) {
            return lines.filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> key.isEmpty() ? l.strip() : l.substring(l.indexOf(':') + 1).strip()).orElse("");
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return ""; // not Linux, or not readable: the description just says less
        }
    }
}
