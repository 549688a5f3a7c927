package dev.deepcuts.bloom.lab;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.LongPredicate;

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
 * Space: bits per key against false-positive rate for each filter, beside the information-theoretic
 * bound log2(1/ε); then memory and lookup time of the filters against exact structures
 * ({@code HashSet<Long>}, a sorted {@code long[]}, a bitmap over dense ids) at two set sizes —
 * when approximate beats exact, and when it does not.
 */
public final class SpaceLab implements Lab {

    @Override
    public String chapter() {
        return "bloom";
    }

    @Override
    public String id() {
        return "space";
    }

    @Override
    public String title() {
        return "Bits per key against false-positive rate, and filters against exact sets";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.ofIntList("sizes", List.of(1_000_000, 10_000_000), List.of(200_000, 3_000_000), "set sizes for the exact-vs-approximate comparison"),
                Param.ofDoubleList("rates", List.of(0.1, 0.03, 0.01, 0.003, 0.001, 0.0001, 0.00001), List.of(0.1, 0.01, 0.001),
                        "false-positive rates for the bits-per-key curve (must include 0.01)"),
                Param.ofInt("lookups", 2_000_000, 300_000, "lookups timed per structure (half present, half absent)"));
    }

    /** One structure at one size. */
    private record Row(String structure, int keys, double bitsPerKey, double fpr, double nsPerLookup, boolean measuredHeap) {
    }

    @Override
    public LabResult run(LabContext ctx) {
        List<Integer> sizes = ctx.intListParam("sizes");
        List<Double> rates = ctx.doubleListParam("rates");
        int lookups = ctx.intParam("lookups");
        if (!rates.contains(0.01)) throw new IllegalArgumentException("rates=" + rates + " must include 0.01");
        for (double r : rates) if (!(r > 0 && r < 1)) throw new IllegalArgumentException("rate " + r + " must be in (0, 1)");
        for (int n : sizes) if (n < 1000) throw new IllegalArgumentException("size " + n + " must be at least 1000");
        int largest = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();

        var b = LabResult.builder();

        // Part 1: bits per key needed for each rate, from each filter's own sizing.
        int n = 1_000_000;
        var curve = Table.of("bits per key needed for a false-positive rate (sizing for 1000000 keys)",
                "target FPR", "bound log2(1/e)", "classic", "blocked 512", "split-block", "classic / bound");
        double[] xs = new double[rates.size()];
        double[] bound = new double[rates.size()];
        double[] classic = new double[rates.size()];
        double[] blocked = new double[rates.size()];
        double[] split = new double[rates.size()];
        double worstClassicRatio = 0;
        double bestClassicRatio = Double.MAX_VALUE;
        for (int i = 0; i < rates.size(); i++) {
            double e = rates.get(i);
            xs[i] = e;
            bound[i] = Math.log(1 / e) / Math.log(2);
            classic[i] = (double) BloomFilter.optimalBits(n, e) / n;
            blocked[i] = (double) BlockedBloomFilter.create(n, e).bitSize() / n;
            split[i] = (double) SplitBlockBloomFilter.create(n, e).bitSize() / n;
            double ratio = classic[i] / bound[i];
            worstClassicRatio = Math.max(worstClassicRatio, ratio);
            bestClassicRatio = Math.min(bestClassicRatio, ratio);
            curve.row(e, bound[i], classic[i], blocked[i], split[i], ratio);
        }
        b.table(curve);

        // Part 2: exact against approximate, memory and lookup time.
        var keys = new Keys(ctx.seed());
        List<Row> rows = new ArrayList<>();
        Row fuseAtLargest = null;
        try (var progress = ctx.progress("measuring structures", sizes.size() * 7L)) {
            for (int size : sizes) {
                long[] members = keys.range(0, size);
                long[] probes = mixedProbes(keys, size, lookups, ctx);
                rows.add(hashSet(members, probes));
                progress.step();
                rows.add(sortedArray(members, probes));
                progress.step();
                rows.add(bitmap(size, lookups, ctx));
                progress.step();
                rows.add(filter("classic Bloom 1%", fill(BloomFilter.create(size, 0.01), members), members, probes));
                progress.step();
                rows.add(filter("blocked Bloom 1%", fill(BlockedBloomFilter.create(size, 0.01), members), members, probes));
                progress.step();
                rows.add(filter("split-block Bloom 1%", fill(SplitBlockBloomFilter.create(size, 0.01), members), members, probes));
                progress.step();
                Row fuse = filter("binary fuse 8", BinaryFuseFilter.build8(members), members, probes);
                rows.add(fuse);
                if (size == largest) fuseAtLargest = fuse;
                progress.step();
            }
        }
        var exact = Table.of("memory and lookup time (lookups: half present, half absent keys)",
                "keys", "structure", "bits/key", "bytes/key", "FPR", "ns/lookup");
        for (Row r : rows) {
            exact.row(r.keys(), r.structure() + (r.measuredHeap() ? " (heap measured)" : ""), r.bitsPerKey(), r.bitsPerKey() / 8,
                    r.fpr() == 0 ? "exact" : String.format(Locale.ROOT, "%.3f%%", r.fpr() * 100), r.nsPerLookup());
        }
        b.table(exact);

        Row hashSetLargest = find(rows, "HashSet<Long>", largest);
        Row sortedLargest = find(rows, "sorted long[]", largest);
        Row classicLargest = find(rows, "classic Bloom 1%", largest);
        Row blockedLargest = find(rows, "blocked Bloom 1%", largest);
        Row splitLargest = find(rows, "split-block Bloom 1%", largest);
        Row bitmapLargest = find(rows, "bitmap over ids in [0, 8n)", largest);
        double fuseOverBound = fuseAtLargest.bitsPerKey() / 8.0;

        b.metric("classic_bits_per_key_1pct", classic[rates.indexOf(0.01)], "bits/key");
        b.metric("blocked_bits_per_key_1pct", blocked[rates.indexOf(0.01)], "bits/key");
        b.metric("split_block_bits_per_key_1pct", split[rates.indexOf(0.01)], "bits/key");
        b.metric("bound_bits_per_key_1pct", bound[rates.indexOf(0.01)], "bits/key");
        b.metric("classic_over_bound", worstClassicRatio, "x");
        b.metric("largest_size", largest, "keys");
        b.metric("hashset_bytes_per_key", hashSetLargest.bitsPerKey() / 8, "bytes/key");
        b.metric("hashset_ns_per_lookup", hashSetLargest.nsPerLookup(), "ns");
        b.metric("sorted_ns_per_lookup", sortedLargest.nsPerLookup(), "ns");
        b.metric("classic_ns_per_lookup", classicLargest.nsPerLookup(), "ns");
        b.metric("blocked_ns_per_lookup", blockedLargest.nsPerLookup(), "ns");
        b.metric("split_block_ns_per_lookup", splitLargest.nsPerLookup(), "ns");
        b.metric("fuse8_ns_per_lookup", fuseAtLargest.nsPerLookup(), "ns");
        b.metric("fuse8_bits_per_key", fuseAtLargest.bitsPerKey(), "bits/key");
        b.metric("fuse8_over_bound", fuseOverBound, "x");
        b.metric("hashset_over_classic_memory", hashSetLargest.bitsPerKey() / classicLargest.bitsPerKey(), "x");

        b.chart(Chart.line("bloom-space", "Bits per key needed for a false-positive rate")
                .xLabel("false-positive rate (log scale)").yLabel("bits per key").logX()
                .series("classic Bloom", xs, classic)
                .series("blocked Bloom (512-bit blocks)", xs, blocked)
                .series("split-block Bloom (Parquet)", xs, split)
                .series("lower bound log2(1/e)", xs, bound, Chart.Style.DASHED)
                .series("binary fuse 8 (measured)", new double[] {Math.pow(2, -8)}, new double[] {fuseAtLargest.bitsPerKey()}, Chart.Style.MARKERS_ONLY));

        boolean filtersSmall = rows.stream().filter(r -> r.fpr() > 0).allMatch(r -> r.bitsPerKey() * 5 <= 64);
        b.claim("at about 1% every filter takes at least 5x less memory than the smallest general exact set, a sorted long[] (64 bits/key)", filtersSmall);
        b.claim(String.format(Locale.ROOT, "a classic Bloom filter needs 1.44 x log2(1/e) bits per key at every rate (%.3f to %.3f)", bestClassicRatio, worstClassicRatio),
                bestClassicRatio > 1.42 && worstClassicRatio < 1.46);
        b.claim(String.format(Locale.ROOT, "the binary fuse 8 filter stays within 1.13 x log2(1/e) bits per key at %d keys (%.3f x)", largest, fuseOverBound),
                fuseOverBound <= 1.13);
        b.claim(String.format(Locale.ROOT, "HashSet<Long> costs %.0fx the memory of a 1%% classic Bloom filter at %d keys", hashSetLargest.bitsPerKey() / classicLargest.bitsPerKey(), largest),
                hashSetLargest.bitsPerKey() > 20 * classicLargest.bitsPerKey());
        b.claim(String.format(Locale.ROOT, "when ids are dense (within 8n), an exact bitmap (%.1f bits/key) is smaller than a 1%% Bloom filter (%.1f) and never wrong",
                bitmapLargest.bitsPerKey(), classicLargest.bitsPerKey()), bitmapLargest.bitsPerKey() < classicLargest.bitsPerKey());
        return b.verdict(String.format(Locale.ROOT, "1%% costs %.2f bits/key classic, %.2f blocked, %.2f split-block (bound %.2f); fuse8 %.2f bits/key at 0.39%%; HashSet<Long> %.0f bytes/key",
                classic[rates.indexOf(0.01)], blocked[rates.indexOf(0.01)], split[rates.indexOf(0.01)], bound[rates.indexOf(0.01)],
                fuseAtLargest.bitsPerKey(), hashSetLargest.bitsPerKey() / 8)).build();
    }

    private static Row find(List<Row> rows, String name, int keys) {
        return rows.stream().filter(r -> r.structure().equals(name) && r.keys() == keys).findFirst().orElseThrow();
    }

    private static MutableFilter fill(MutableFilter f, long[] members) {
        for (long k : members) f.add(k);
        return f;
    }

    /** Lookups: even positions present keys, odd positions absent ones, in random order. */
    private static long[] mixedProbes(Keys keys, int size, int lookups, LabContext ctx) {
        var rnd = ctx.random("probes-" + size);
        long[] probes = new long[lookups];
        for (int i = 0; i < lookups; i++) {
            probes[i] = (i & 1) == 0 ? keys.key(rnd.nextLong(size)) : keys.key(size + rnd.nextLong(Long.MAX_VALUE - size));
        }
        return probes;
    }

    private static Row filter(String name, Filter f, long[] members, long[] probes) {
        long fp = 0;
        int absent = 0;
        for (int i = 1; i < probes.length; i += 2) {
            absent++;
            if (f.mightContain(probes[i])) fp++;
        }
        double ns = time(probes, f::mightContain);
        return new Row(name, members.length, (double) f.bitSize() / members.length, (double) fp / absent, ns, false);
    }

    private static Row hashSet(long[] members, long[] probes) {
        long before = usedHeap();
        var set = new HashSet<Long>();
        for (long k : members) set.add(k);
        long after = usedHeap();
        double ns = time(probes, set::contains);
        Reference.reachabilityFence(set);
        return new Row("HashSet<Long>", members.length, (after - before) * 8.0 / members.length, 0, ns, true);
    }

    private static Row sortedArray(long[] members, long[] probes) {
        long[] sorted = members.clone();
        Arrays.sort(sorted);
        double ns = time(probes, k -> Arrays.binarySearch(sorted, k) >= 0);
        return new Row("sorted long[]", members.length, 64, 0, ns, false);
    }

    /** Dense ids: the set is n ids drawn from [0, 8n), stored exactly as one bit per possible id. */
    private static Row bitmap(int size, int lookups, LabContext ctx) {
        long universe = 8L * size;
        long[] bits = new long[(int) ((universe + 63) >>> 6)];
        var rnd = ctx.random("dense-" + size);
        int added = 0;
        while (added < size) {
            long id = rnd.nextLong(universe);
            int w = (int) (id >>> 6);
            if ((bits[w] & (1L << id)) == 0) {
                bits[w] |= 1L << id;
                added++;
            }
        }
        long[] probes = new long[lookups];
        for (int i = 0; i < lookups; i++) probes[i] = rnd.nextLong(universe);
        double ns = time(probes, id -> (bits[(int) (id >>> 6)] & (1L << id)) != 0);
        return new Row("bitmap over ids in [0, 8n)", size, (double) universe / size, 0, ns, false);
    }

    /** Median ns per lookup over five timed passes after one warm-up pass. */
    private static double time(long[] probes, LongPredicate lookup) {
        double[] passes = new double[5];
        long sink = 0;
        for (int pass = -1; pass < passes.length; pass++) {
            long t0 = System.nanoTime();
            for (long k : probes) if (lookup.test(k)) sink++;
            long t1 = System.nanoTime();
            if (pass >= 0) passes[pass] = (double) (t1 - t0) / probes.length;
        }
        if (sink == 42) System.out.print(""); // keep the lookups observable
        Arrays.sort(passes);
        return passes[passes.length / 2];
    }

    private static long usedHeap() {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
