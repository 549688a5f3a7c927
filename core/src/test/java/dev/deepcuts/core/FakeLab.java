package dev.deepcuts.core;

import java.util.List;

/** A small lab for harness tests: one metric, one table, one chart, a claim that holds unless told otherwise. */
final class FakeLab implements Lab {
    @Override
    public String chapter() {
        return "bloom";
    }

    @Override
    public String id() {
        return "fake";
    }

    @Override
    public String title() {
        return "a lab that only tests the harness";
    }

    @Override
    public List<Param> params() {
        return List.of(Param.ofInt("points", 20, 5, "how many points"), Param.ofBoolean("fail", false, false, "make the claim fail"));
    }

    @Override
    public LabResult run(LabContext context) {
        int n = context.intParam("points");
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
            y[i] = Math.pow(0.5, i) + context.random().nextDouble() * 1e-3;
        }
        var b = LabResult.builder();
        b.metric("points", n, "count").metric("last", y[n - 1], "ratio");
        b.table(Table.of("points", "x", "y").row(x[0], y[0]));
        b.chart(Chart.line("fake-decay", "Decay").xLabel("step").yLabel("value (ratio)").logY().series("measured", x, y)
                .series("formula", x, y, Chart.Style.DASHED));
        b.claim("the lab ran " + n + " points", !context.booleanParam("fail"));
        return b.verdict("decay observed over " + n + " points").build();
    }
}
