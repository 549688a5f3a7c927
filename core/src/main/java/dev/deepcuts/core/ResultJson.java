package dev.deepcuts.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes and reads lab results in the JSON schema of DESIGN.md:
 *
 * <pre>{@code
 * {"chapter": "bloom", "lab": "fpr", "seed": 42, "quick": false,
 *  "params": {"keys": 1000000},
 *  "metrics": {"measured_fpr": {"value": 0.0082, "unit": "ratio"}},
 *  "tables": [{"title": "...", "columns": [...], "rows": [[...]]}],
 *  "claims": [{"text": "no false negatives in 1000000 lookups", "holds": true}],
 *  "verdict": "...", "figures": ["book/figures/bloom-fpr.png"], "seconds": 3.2}
 * }</pre>
 *
 * Charts are not stored: their PNG files are. The book tooling reads these files to check the
 * numbers a chapter quotes.
 */
public final class ResultJson {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultJson() {
    }

    /** The JSON tree of a run. */
    public static ObjectNode toJson(LabRun run) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("chapter", run.chapter());
        root.put("lab", run.lab());
        root.put("seed", run.seed());
        root.put("quick", run.quick());
        root.set("params", MAPPER.valueToTree(new LinkedHashMap<>(run.params())));
        ObjectNode metrics = root.putObject("metrics");
        run.result().metrics().forEach((name, m) -> {
            ObjectNode node = metrics.putObject(name);
            if (Double.isFinite(m.value())) node.put("value", m.value());
            else node.put("value", String.valueOf(m.value()));
            node.put("unit", m.unit());
        });
        ArrayNode tables = root.putArray("tables");
        for (Table t : run.result().tables()) {
            ObjectNode node = tables.addObject();
            node.put("title", t.title());
            node.set("columns", MAPPER.valueToTree(t.columns()));
            node.set("rows", MAPPER.valueToTree(t.rows()));
        }
        ArrayNode claims = root.putArray("claims");
        for (Claim c : run.result().claims()) {
            claims.addObject().put("text", c.text()).put("holds", c.holds());
        }
        root.put("verdict", run.result().verdict());
        root.set("figures", MAPPER.valueToTree(run.figures()));
        root.put("seconds", Math.round(run.seconds() * 1000) / 1000.0);
        return root;
    }

    /** Writes the run to {@code file}, creating its folder. */
    public static void write(LabRun run, Path file) throws IOException {
        writeTree(toJson(run), file);
    }

    /** Writes any JSON tree, indented, with a final newline. */
    public static void writeTree(JsonNode tree, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, MAPPER.writeValueAsString(tree) + "\n");
    }

    /** Reads a JSON file as a tree. */
    public static JsonNode readTree(Path file) throws IOException {
        return MAPPER.readTree(file.toFile());
    }

    /** Reads a run back from its JSON file (figures and numbers as written; charts are not stored). */
    public static LabRun read(Path file) throws IOException {
        JsonNode root = readTree(file);
        var b = LabResult.builder();
        root.path("metrics").properties().forEach(e -> {
            JsonNode v = e.getValue().path("value");
            b.metric(e.getKey(), v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText()), e.getValue().path("unit").asText());
        });
        for (JsonNode t : root.path("tables")) {
            List<String> cols = new ArrayList<>();
            t.path("columns").forEach(c -> cols.add(c.asText()));
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode r : t.path("rows")) {
                List<String> row = new ArrayList<>();
                r.forEach(c -> row.add(c.asText()));
                rows.add(row);
            }
            b.table(Table.of(t.path("title").asText(), cols, rows));
        }
        for (JsonNode c : root.path("claims")) b.claim(c.path("text").asText(), c.path("holds").asBoolean());
        b.verdict(root.path("verdict").asText());
        List<String> figures = new ArrayList<>();
        root.path("figures").forEach(f -> figures.add(f.asText()));
        @SuppressWarnings("unchecked")
        Map<String, Object> params = MAPPER.convertValue(root.path("params"), LinkedHashMap.class);
        return new LabRun(root.path("chapter").asText(), root.path("lab").asText(), root.path("seed").asLong(),
                root.path("quick").asBoolean(), params, b.build(), figures, root.path("seconds").asDouble());
    }
}
