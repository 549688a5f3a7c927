package dev.deepcuts.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a lab found: named metrics with units, tables, charts to draw, the claims it checked and a
 * one-line verdict. Built with {@link #builder()}; immutable once built.
 *
 * <p>Metric names are the keys a chapter quotes ({@code metrics.measured_fpr.value}), so they are
 * lower-case identifiers and stable across versions of a lab.
 */
public final class LabResult {

    private final Map<String, Metric> metrics;
    private final List<Table> tables;
    private final List<Chart> charts;
    private final List<Claim> claims;
    private final String verdict;

    private LabResult(Builder b) {
        this.metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.metrics));
        this.tables = List.copyOf(b.tables);
        this.charts = List.copyOf(b.charts);
        this.claims = List.copyOf(b.claims);
        this.verdict = Objects.requireNonNull(b.verdict, "a lab result needs a verdict line");
    }

    public static Builder builder() {
        return new Builder();
    }

    public Map<String, Metric> metrics() {
        return metrics;
    }

    public List<Table> tables() {
        return tables;
    }

    public List<Chart> charts() {
        return charts;
    }

    public List<Claim> claims() {
        return claims;
    }

    public String verdict() {
        return verdict;
    }

    /** True when every claim held (a lab with no claims holds trivially, but every lab should have some). */
    public boolean allClaimsHold() {
        return claims.stream().allMatch(Claim::holds);
    }

    /** Collects the parts of a result in the order the lab finds them. */
    public static final class Builder {
        private final Map<String, Metric> metrics = new LinkedHashMap<>();
        private final List<Table> tables = new ArrayList<>();
        private final List<Chart> charts = new ArrayList<>();
        private final List<Claim> claims = new ArrayList<>();
        private String verdict;

        private Builder() {
        }

        /** Records a metric; its name must be a lower-case identifier and not used twice. */
        public Builder metric(String name, double value, String unit) {
            if (!name.matches("[a-z][a-z0-9_]*")) {
                throw new IllegalArgumentException("metric name '" + name + "' must be lower-case letters, digits and '_'");
            }
            if (metrics.putIfAbsent(name, new Metric(value, unit)) != null) {
                throw new IllegalArgumentException("metric '" + name + "' recorded twice");
            }
            return this;
        }

        public Builder table(Table table) {
            tables.add(Objects.requireNonNull(table));
            return this;
        }

        public Builder chart(Chart chart) {
            if (charts.stream().anyMatch(c -> c.name().equals(chart.name()))) {
                throw new IllegalArgumentException("chart '" + chart.name() + "' added twice");
            }
            charts.add(chart);
            return this;
        }

        /** Records a claim and whether it held; returns {@code holds} so a lab can branch on it. */
        public boolean claim(String text, boolean holds) {
            claims.add(new Claim(text, holds));
            return holds;
        }

        public Builder verdict(String line) {
            this.verdict = Objects.requireNonNull(line);
            return this;
        }

        public LabResult build() {
            return new LabResult(this);
        }
    }
}
