package dev.deepcuts.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A typed lab parameter with a default for full runs and a (usually smaller) default for quick runs.
 *
 * <p>Values arrive from the command line as text ({@code --param keys=1000000}); {@link #parse}
 * turns the text into the parameter's type or throws {@link UsageException} with a message naming
 * the parameter, the bad text and the expected type. Numbers accept {@code _} separators and the
 * suffixes {@code k}, {@code M}, {@code G} (powers of ten) for readability: {@code keys=10M}.
 *
 * @param name        the name used in {@code --param name=value}
 * @param type        the value type
 * @param fullDefault the value of a full run
 * @param quickDefault the value of a {@code --quick} run
 * @param description one line for {@code ./deepcuts list} and error messages
 */
public record Param(String name, Type type, Object fullDefault, Object quickDefault, String description) {

    /** The value types a parameter can have. */
    public enum Type {
        INT("integer"), LONG("integer"), DOUBLE("number"), BOOLEAN("true|false"), STRING("text"),
        INT_LIST("comma-separated integers"), DOUBLE_LIST("comma-separated numbers");

        private final String expected;

        Type(String expected) {
            this.expected = expected;
        }

        /** How the type is described to a user who got it wrong. */
        public String expected() {
            return expected;
        }
    }

    public Param {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(fullDefault, "fullDefault");
        Objects.requireNonNull(quickDefault, "quickDefault");
        Objects.requireNonNull(description, "description");
        if (!name.matches("[a-zA-Z][a-zA-Z0-9_.-]*")) {
            throw new IllegalArgumentException("parameter name '" + name + "' must start with a letter and use letters, digits, '_', '.', '-'");
        }
    }

    public static Param ofInt(String name, int full, int quick, String description) {
        return new Param(name, Type.INT, full, quick, description);
    }

    public static Param ofLong(String name, long full, long quick, String description) {
        return new Param(name, Type.LONG, full, quick, description);
    }

    public static Param ofDouble(String name, double full, double quick, String description) {
        return new Param(name, Type.DOUBLE, full, quick, description);
    }

    public static Param ofBoolean(String name, boolean full, boolean quick, String description) {
        return new Param(name, Type.BOOLEAN, full, quick, description);
    }

    public static Param ofString(String name, String full, String quick, String description) {
        return new Param(name, Type.STRING, full, quick, description);
    }

    public static Param ofIntList(String name, List<Integer> full, List<Integer> quick, String description) {
        return new Param(name, Type.INT_LIST, List.copyOf(full), List.copyOf(quick), description);
    }

    public static Param ofDoubleList(String name, List<Double> full, List<Double> quick, String description) {
        return new Param(name, Type.DOUBLE_LIST, List.copyOf(full), List.copyOf(quick), description);
    }

    /** The default for a run in the given mode. */
    public Object defaultFor(boolean quick) {
        return quick ? quickDefault : fullDefault;
    }

    /** "keys (integer, default 1000000, quick 100000): how many keys are inserted" */
    public String describe() {
        return name + " (" + type.expected() + ", default " + format(fullDefault) + ", quick " + format(quickDefault) + "): " + description;
    }

    /** Parses command-line text into this parameter's type. */
    public Object parse(String text) {
        String t = text.strip();
        try {
            return switch (type) {
                case INT -> Math.toIntExact(parseLong(t));
                case LONG -> parseLong(t);
                case DOUBLE -> parseDouble(t);
                case BOOLEAN -> parseBoolean(t);
                case STRING -> {
                    if (t.isEmpty()) throw new IllegalArgumentException("empty");
                    yield t;
                }
                case INT_LIST -> {
                    var out = new ArrayList<Integer>();
                    for (String part : splitList(t)) out.add(Math.toIntExact(parseLong(part)));
                    yield List.copyOf(out);
                }
                case DOUBLE_LIST -> {
                    var out = new ArrayList<Double>();
                    for (String part : splitList(t)) out.add(parseDouble(part));
                    yield List.copyOf(out);
                }
            };
        } catch (RuntimeException e) {
            throw new UsageException("parameter " + name + "='" + text + "' is not valid: expected " + type.expected()
                    + (e instanceof ArithmeticException ? " within the range of a 32-bit integer" : ""));
        }
    }

    /** Formats a value of this kind for printing and JSON-friendly display. */
    public static String format(Object value) {
        if (value instanceof List<?> list) {
            var sb = new StringBuilder();
            for (Object o : list) {
                if (!sb.isEmpty()) sb.append(',');
                sb.append(format(o));
            }
            return sb.toString();
        }
        if (value instanceof Double d) {
            if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString(d.longValue());
            return String.format(Locale.ROOT, "%s", d);
        }
        return String.valueOf(value);
    }

    private static List<String> splitList(String t) {
        var parts = new ArrayList<String>();
        for (String p : t.split(",")) {
            if (p.isBlank()) throw new IllegalArgumentException("empty list element");
            parts.add(p.strip());
        }
        if (parts.isEmpty()) throw new IllegalArgumentException("empty list");
        return parts;
    }

    private static long parseLong(String t) {
        String s = t.replace("_", "");
        long mult = 1;
        if (!s.isEmpty()) {
            char last = s.charAt(s.length() - 1);
            mult = switch (last) {
                case 'k', 'K' -> 1_000L;
                case 'M' -> 1_000_000L;
                case 'G' -> 1_000_000_000L;
                default -> 1;
            };
            if (mult != 1) s = s.substring(0, s.length() - 1);
        }
        return Math.multiplyExact(Long.parseLong(s), mult);
    }

    private static double parseDouble(String t) {
        double d = Double.parseDouble(t.replace("_", ""));
        if (!Double.isFinite(d)) throw new IllegalArgumentException("not finite");
        return d;
    }

    private static boolean parseBoolean(String t) {
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("not a boolean");
        };
    }
}
