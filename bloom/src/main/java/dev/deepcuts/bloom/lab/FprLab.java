package dev.deepcuts.bloom.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.deepcuts.bloom.BinaryFuseFilter;
import dev.deepcuts.bloom.BlockedBloomFilter;
import dev.deepcuts.bloom.BloomFilter;
import dev.deepcuts.bloom.Filter;
import dev.deepcuts.bloom.MutableFilter;
import dev.deepcuts.bloom.SplitBlockBloomFilter;
import dev.deepcuts.core.Chart;
import dev.deepcuts.core.Lab;
import dev.deepcuts.core.LabContext;
import dev.deepcuts.core.LabResult;
import dev.deepcuts.core.Param;
import dev.deepcuts.core.Table;

/**
 * The false-positive rate, measured against the formula: for each number of bits per key, build
 * a classic, a blocked and a split-block filter over the same keys, probe them with keys that are
 * certainly absent, and compare the share of "maybe" answers with each filter's prediction. The
 * binary fuse filters, whose size is fixed by their fingerprint, are measured at their own points.
 */
public final class FprLab implements Lab {

    @Override
    public String chapter() {
        return "bloom";
    }

    @Override
    public String id() {
        return "fpr";
    }

    @Override
    public String title() {
        return "False-positive rate measured against the formula, across bits per key";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.ofInt("keys", 1_000_000, 100_000, "keys inserted in each filter"),
                Param.ofInt("probes", 10_000_000, 1_000_000, "absent keys looked up to measure the rate"),
                Param.ofIntList("bitsPerKey", List.of(4, 6, 8, 10, 12, 14, 16, 18, 20), List.of(6, 10, 14),
                        "bits of filter per key (must include 10, the rate the verdict quotes)"));
    }

    /** One filter at one size: what it predicted and what it did. */
    private record Point(String filter, double bitsPerKey, int hashes, double predicted, double measured, long falsePositives,
                         long falseNegatives, double z) {
    }

    @Override
    public LabResult run(LabContext ctx) {
        int n = ctx.intParam("keys");
        int q = ctx.intParam("probes");
        List<Integer> bits = ctx.intListParam("bitsPerKey");
        if (n < 1 || q < 1) throw new IllegalArgumentException("keys and probes must be positive");
        if (!bits.contains(10)) throw new IllegalArgumentException("bitsPerKey=" + bits + " must include 10");
        for (int b : bits) if (b < 1 || b > 64) throw new IllegalArgumentException("bitsPerKey " + b + " must be in [1, 64]");

        var keys = new Keys(ctx.seed());
        long[] members = keys.range(0, n);
        long[] probes = keys.range(n, (long) n + q); // distinct from every member, by construction

        List<Point> classic = new ArrayList<>();
        List<Point> blocked = new ArrayList<>();
        List<Point> split = new ArrayList<>();
        try (var progress = ctx.progress("measuring", bits.size() * 3L + 2)) {
            for (int b : bits) {
                long m = (long) n * b;
                // region choose-k
                int k = Math.max(1, (int) Math.round((double) m / n * Math.log(2)));  // k = (m/n) ln 2
                // endregion choose-k
                classic.add(measure("classic", BloomFilter.withBits(m, k), members, probes, k, BloomFilter.predictedFpp(n, m, k)));
                progress.step();
                int kb = BlockedBloomFilter.HASHES; // fixed: three bits in each of two words
                blocked.add(measure("blocked", BlockedBloomFilter.withBits(m), members, probes, kb, BlockedBloomFilter.predictedFpp(n, m)));
                progress.step();
                split.add(measure("split-block", SplitBlockBloomFilter.withBits(m), members, probes, 8, SplitBlockBloomFilter.predictedFpp(n, m)));
                progress.step();
            }
            Point fuse8 = measureStatic("binary fuse 8", BinaryFuseFilter.build8(members), members, probes, Math.pow(2, -8));
            progress.step();
            Point fuse16 = measureStatic("binary fuse 16", BinaryFuseFilter.build16(members), members, probes, Math.pow(2, -16));
            progress.step();
            return report(ctx, n, q, bits, classic, blocked, split, fuse8, fuse16);
        }
    }

    private LabResult report(LabContext ctx, int n, int q, List<Integer> bits, List<Point> classic, List<Point> blocked, List<Point> split,
                             Point fuse8, Point fuse16) {
        var table = Table.of(String.format(Locale.ROOT, "%d keys, %d absent probes per filter", n, q),
                "filter", "bits/key", "k", "predicted FPR", "measured FPR", "false positives", "z", "false negatives");
        List<Point> all = new ArrayList<>();
        for (int i = 0; i < bits.size(); i++) {
            all.add(classic.get(i));
            all.add(blocked.get(i));
            all.add(split.get(i));
        }
        all.add(fuse8);
        all.add(fuse16);
        long falseNegatives = 0;
        for (Point p : all) {
            table.row(p.filter(), p.bitsPerKey(), p.hashes(), p.predicted(), p.measured(), p.falsePositives(),
                    String.format(Locale.ROOT, "%+.2f", p.z()), p.falseNegatives());
            falseNegatives += p.falseNegatives();
        }
        int at10 = bits.indexOf(10);
        Point c10 = classic.get(at10);
        Point b10 = blocked.get(at10);
        Point s10 = split.get(at10);

        var b = LabResult.builder();
        b.table(table);
        b.metric("keys", n, "keys");
        b.metric("probes", q, "probes");
        b.metric("measured_fpr", c10.measured(), "ratio");
        b.metric("predicted_fpr", c10.predicted(), "ratio");
        b.metric("classic_hashes_at_10", c10.hashes(), "probes");
        b.metric("blocked_fpr_10", b10.measured(), "ratio");
        b.metric("blocked_predicted_10", b10.predicted(), "ratio");
        b.metric("blocked_penalty_10", b10.measured() / c10.measured(), "x");
        b.metric("split_block_fpr_10", s10.measured(), "ratio");
        b.metric("split_block_predicted_10", s10.predicted(), "ratio");
        b.metric("split_block_penalty_10", s10.measured() / c10.measured(), "x");
        b.metric("fuse8_fpr", fuse8.measured(), "ratio");
        b.metric("fuse8_bits_per_key", fuse8.bitsPerKey(), "bits/key");
        b.metric("fuse16_fpr", fuse16.measured(), "ratio");
        b.metric("fuse16_bits_per_key", fuse16.bitsPerKey(), "bits/key");
        b.metric("max_abs_z_classic", classic.stream().mapToDouble(p -> Math.abs(p.z())).max().orElse(0), "sigma");
        b.metric("false_negatives", falseNegatives, "keys");

        double[] xs = bits.stream().mapToDouble(Integer::doubleValue).toArray();
        double[] bound = new double[xs.length];
        for (int i = 0; i < xs.length; i++) bound[i] = Math.pow(2, -xs[i]);
        b.chart(Chart.line("bloom-fpr", String.format(Locale.ROOT, "False-positive rate vs bits per key (%d keys)", n))
                .xLabel("bits per key").yLabel("false-positive rate (log scale)").logY()
                .series("classic, measured", xs, measured(classic), Chart.Style.MARKERS_ONLY, 0)
                .series("classic, formula", xs, predicted(classic), Chart.Style.DASHED, 0)
                .series("blocked 512-bit, measured", xs, measured(blocked), Chart.Style.MARKERS_ONLY, 1)
                .series("blocked, formula", xs, predicted(blocked), Chart.Style.DASHED, 1)
                .series("split-block, measured", xs, measured(split), Chart.Style.MARKERS_ONLY, 2)
                .series("split-block, formula", xs, predicted(split), Chart.Style.DASHED, 2)
                .series("binary fuse 8/16, measured", new double[] {fuse8.bitsPerKey(), fuse16.bitsPerKey()},
                        new double[] {fuse8.measured(), fuse16.measured()}, Chart.Style.MARKERS_ONLY, 3)
                .series("lower bound 2^-bits", xs, bound, Chart.Style.SOLID, 4)
                .legend(Chart.Legend.INSIDE_BOTTOM_LEFT));

        b.claim(String.format(Locale.ROOT, "no false negatives: every one of the %d inserted keys found by all %d filters", n, all.size()),
                falseNegatives == 0);
        double maxZ = classic.stream().mapToDouble(p -> Math.abs(p.z())).max().orElse(0);
        b.claim(String.format(Locale.ROOT, "the classic filter's measured rate is within 4 standard deviations of the formula at every size (worst %.2f)", maxZ),
                maxZ <= 4);
        // z counts the probes' sampling noise only. Each filter is also one draw of how its keys fell
        // into blocks and words, and with six bits in two 64-bit words that luck can show: with
        // seed 1 an earlier version's 4-bits/key filter came out at z = -4.1 while the relative gap
        // was 0.24%. So, as for split-block, allow 4 sigma or 0.5%, whichever is wider; the
        // textbook formula misses by 1.5-4.3% (exercise 3) and still fails.
        double maxZb = blocked.stream().mapToDouble(p -> Math.abs(p.z())).max().orElse(0);
        boolean blockedClose = within4SigmaOrHalfAPercent(blocked);
        double maxRelB = maxRelativeGap(blocked);
        b.metric("max_abs_z_blocked", maxZb, "sigma");
        b.metric("max_rel_error_blocked", maxRelB, "ratio");
        b.claim(String.format(Locale.ROOT, "the blocked filter's measured rate is within 4 standard deviations or 0.5%% of its exact formula at every size (worst |z| %.2f, worst relative gap %.2f%%)",
                maxZb, maxRelB * 100), blockedClose);
        // The split-block formula treats the eight words of a block as independent given its load;
        // they share one 32-bit value, so at very low bits per key (many keys per block) the
        // measured rate sits a fraction of a percent above it. Allow 4 sigma or 0.5%, whichever is wider.
        boolean splitClose = within4SigmaOrHalfAPercent(split);
        double maxRel = maxRelativeGap(split);
        b.metric("max_rel_error_split_block", maxRel, "ratio");
        b.claim(String.format(Locale.ROOT, "the split-block filter's measured rate is within 4 standard deviations or 0.5%% of its block-load formula at every size (worst relative gap %.2f%%)", maxRel * 100),
                splitClose);
        b.claim(String.format(Locale.ROOT, "blocking costs accuracy: at 10 bits/key the blocked filter's rate is %.2fx and the split-block's %.2fx the classic's",
                b10.measured() / c10.measured(), s10.measured() / c10.measured()), b10.measured() > c10.measured() && s10.measured() > c10.measured());
        double zf = Math.max(Math.abs(fuse8.z()), Math.abs(fuse16.z()));
        b.claim(String.format(Locale.ROOT, "binary fuse filters hit 2^-8 and 2^-16 within 4 standard deviations (worst %.2f)", zf), zf <= 4);
        return b.verdict(String.format(Locale.ROOT, "at 10 bits/key: classic %.4f%% measured vs %.4f%% predicted; blocked %.4f%% (%.2fx), split-block %.4f%% (%.2fx); fuse8 %.4f%% at %.2f bits/key",
                c10.measured() * 100, c10.predicted() * 100, b10.measured() * 100, b10.measured() / c10.measured(),
                s10.measured() * 100, s10.measured() / c10.measured(), fuse8.measured() * 100, fuse8.bitsPerKey())).build();
    }

    /** Whether every point is within 4 standard deviations of its prediction, or within 0.5% of it. */
    private static boolean within4SigmaOrHalfAPercent(List<Point> points) {
        return points.stream().allMatch(p -> Math.abs(p.z()) <= 4 || Math.abs(p.measured() / p.predicted() - 1) <= 0.005);
    }

    private static double maxRelativeGap(List<Point> points) {
        return points.stream().mapToDouble(p -> Math.abs(p.measured() / p.predicted() - 1)).max().orElse(0);
    }

    // region measure
    private static Point measure(String name, MutableFilter filter, long[] members, long[] probes, int k, double predicted) {
        for (long key : members) filter.add(key);
        return count(name, filter, members, probes, k, predicted);
    }

    private static Point count(String name, Filter filter, long[] members, long[] probes, int k, double predicted) {
        long falseNegatives = 0;
        for (long key : members) if (!filter.mightContain(key)) falseNegatives++;
        long falsePositives = 0;
        for (long key : probes) if (filter.mightContain(key)) falsePositives++;   // every probe is absent
        double measured = (double) falsePositives / probes.length;
        double sigma = Math.sqrt(predicted * (1 - predicted) / probes.length);    // binomial standard deviation
        return new Point(name, (double) filter.bitSize() / members.length, k, predicted, measured, falsePositives,
                falseNegatives, (measured - predicted) / sigma);
    }
    // endregion measure

    private static Point measureStatic(String name, Filter filter, long[] members, long[] probes, double predicted) {
        return count(name, filter, members, probes, 3, predicted);
    }

    private static double[] measured(List<Point> points) {
        return points.stream().mapToDouble(Point::measured).toArray();
    }

    private static double[] predicted(List<Point> points) {
        return points.stream().mapToDouble(Point::predicted).toArray();
    }
}
