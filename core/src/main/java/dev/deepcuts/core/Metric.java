package dev.deepcuts.core;

import java.util.Objects;

/**
 * One measured number with its unit: {@code 0.0082 ratio}, {@code 14.2 ns/op}, {@code 3 reads}.
 *
 * @param value the number
 * @param unit  what it counts, free text but short ("ratio", "ns/op", "bits/key", "reads")
 */
public record Metric(double value, String unit) {
    public Metric {
        Objects.requireNonNull(unit, "unit");
    }
}
