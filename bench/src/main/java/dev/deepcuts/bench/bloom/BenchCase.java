package dev.deepcuts.bench.bloom;

/** The timed cases of the Bloom benchmarks, each one JMH class (lookups split by their kind). */
enum BenchCase {
    INSERT("insert", "ns/key", "InsertBench"),
    BUILD("build", "ns/key", "BuildBench"),
    POSITIVE_LOOKUP("positive lookup", "ns/op", "LookupBench"),
    NEGATIVE_LOOKUP("negative lookup", "ns/op", "LookupBench");

    /** The case's name in the table. */
    final String label;
    /** The unit of the table: per key for a whole fill or build, per lookup for lookups. */
    final String unit;
    /** The simple name of the JMH class that measures it. */
    final String benchClass;

    BenchCase(String label, String unit, String benchClass) {
        this.label = label;
        this.unit = unit;
        this.benchClass = benchClass;
    }

    /** True when JMH times a whole fill or build, to be divided by the number of keys. */
    boolean perKey() {
        return this == INSERT || this == BUILD;
    }

    /** Insert is for filters that take keys one at a time; build for static ones; lookups for all. */
    boolean appliesTo(Contender c) {
        return switch (this) {
            case INSERT -> c.mutable;
            case BUILD -> !c.mutable;
            case POSITIVE_LOOKUP, NEGATIVE_LOOKUP -> true;
        };
    }

    /** The case a JMH result belongs to, from its class and its {@code lookup} parameter (null if none). */
    static BenchCase of(String benchClassSimpleName, String lookup) {
        return switch (benchClassSimpleName) {
            case "InsertBench" -> INSERT;
            case "BuildBench" -> BUILD;
            case "LookupBench" -> switch (String.valueOf(lookup)) {
                case "positive" -> POSITIVE_LOOKUP;
                case "negative" -> NEGATIVE_LOOKUP;
                default -> throw new IllegalArgumentException("LookupBench result without lookup=positive|negative: " + lookup);
            };
            default -> throw new IllegalArgumentException("not a Bloom benchmark class: " + benchClassSimpleName);
        };
    }
}
