package dev.deepcuts.core.book;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The small path language of the book's value markers: dot-separated steps, each a field name, an
 * array index, or a field followed by {@code [key=value]} that picks the element of an array whose
 * {@code key} field equals {@code value}: {@code rows[case=negative lookup].peers.Guava}.
 */
final class JsonPath {

    private JsonPath() {
    }

    /** The node at {@code path}, or an {@link IllegalArgumentException} saying which step failed. */
    static JsonNode resolve(JsonNode root, String path) {
        JsonNode node = root;
        String walked = "";
        for (String step : split(path)) {
            String field = step;
            String selector = null;
            int bracket = step.indexOf('[');
            if (bracket >= 0) {
                if (!step.endsWith("]")) throw new IllegalArgumentException("step '" + step + "' has an unclosed '['");
                field = step.substring(0, bracket);
                selector = step.substring(bracket + 1, step.length() - 1);
            }
            if (!field.isEmpty()) {
                JsonNode next;
                if (node.isArray() && field.matches("\\d+")) next = node.get(Integer.parseInt(field));
                else next = node.get(field);
                if (next == null) {
                    throw new IllegalArgumentException("no '" + field + "' after '" + walked + "'" + (node.isObject() ? "; fields there: " + fields(node) : ""));
                }
                node = next;
                walked = walked.isEmpty() ? field : walked + "." + field;
            }
            if (selector != null) {
                int eq = selector.indexOf('=');
                if (eq < 0 || !node.isArray()) throw new IllegalArgumentException("selector [" + selector + "] needs the form [key=value] on an array");
                String key = selector.substring(0, eq);
                String value = selector.substring(eq + 1);
                JsonNode match = null;
                for (JsonNode e : node) {
                    if (e.has(key) && e.get(key).asText().equals(value)) {
                        match = e;
                        break;
                    }
                }
                if (match == null) {
                    List<String> have = new ArrayList<>();
                    for (JsonNode e : node) if (e.has(key)) have.add(e.get(key).asText());
                    throw new IllegalArgumentException("no element with " + key + "=" + value + " in '" + walked + "'; there are: " + have);
                }
                node = match;
                walked = walked + "[" + selector + "]";
            }
        }
        return node;
    }

    private static List<String> split(String path) {
        List<String> steps = new ArrayList<>();
        var cur = new StringBuilder();
        int depth = 0;
        for (char c : path.toCharArray()) {
            if (c == '[') depth++;
            if (c == ']') depth--;
            if (c == '.' && depth == 0) {
                steps.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        steps.add(cur.toString());
        return steps;
    }

    private static String fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return String.join(", ", names);
    }
}
