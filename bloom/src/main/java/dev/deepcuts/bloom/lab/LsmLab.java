package dev.deepcuts.bloom.lab;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.deepcuts.bloom.BlockedBloomFilter;
import dev.deepcuts.bloom.BloomFilter;
import dev.deepcuts.bloom.MutableFilter;
import dev.deepcuts.core.Chart;
import dev.deepcuts.core.Lab;
import dev.deepcuts.core.LabContext;
import dev.deepcuts.core.LabResult;
import dev.deepcuts.core.Param;
import dev.deepcuts.core.Table;

/**
 * The database use of a Bloom filter: an LSM-style store of several immutable sorted runs on disk,
 * looked up with and without one filter per run. Counts block reads per lookup for absent and
 * present keys and measures lookups per second.
 */
public final class LsmLab implements Lab {

    @Override
    public String chapter() {
        return "bloom";
    }

    @Override
    public String id() {
        return "lsm";
    }

    @Override
    public String title() {
        return "LSM point lookups: block reads per lookup with and without a filter per run";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.ofInt("runs", 16, 8, "sorted runs (SSTable files) in the store"),
                Param.ofInt("keysPerRun", 100_000, 20_000, "keys in each run"),
                Param.ofInt("lookups", 200_000, 20_000, "lookups of absent keys, and as many of present keys"),
                Param.ofDouble("fpp", 0.01, 0.01, "target false-positive rate of each run's filter"),
                Param.ofInt("valueBytes", 48, 48, "bytes of each value"));
    }

    /** One way of equipping the runs: no filter, a classic filter, a blocked filter. */
    private record Config(String name, FilterMaker maker) {
    }

    @FunctionalInterface
    private interface FilterMaker {
        MutableFilter make(long keys, double fpp);
    }

    /** What one configuration measured. */
    private record Measured(String config, double absentReads, double presentReads, double absentPerSec,
                            double presentPerSec, double bitsPerKey) {
    }

    @Override
    public LabResult run(LabContext ctx) throws Exception {
        int runs = ctx.intParam("runs");
        int perRun = ctx.intParam("keysPerRun");
        int lookups = ctx.intParam("lookups");
        double fpp = ctx.doubleParam("fpp");
        int valueBytes = ctx.intParam("valueBytes");
        if (runs < 1 || perRun < 1 || lookups < 1) throw new IllegalArgumentException("runs, keysPerRun and lookups must be positive");
        if (valueBytes < 8 || valueBytes > 1000) throw new IllegalArgumentException("valueBytes=" + valueBytes + " must be in [8, 1000]");

        var keys = new Keys(ctx.seed());
        long total = (long) runs * perRun;
        SsTable.ValueSource values = key -> value(key, valueBytes);

        // The runs: key i goes to run i % runs, so every run spans the whole key range, as
        // overlapping flushes do in level 0 (or in every tier of size-tiered compaction).
        Path dir = ctx.workDir();
        List<long[]> runKeys = new ArrayList<>();
        List<SsTable> files = new ArrayList<>();
        try (var progress = ctx.progress("writing runs", runs)) {
            for (int r = 0; r < runs; r++) {
                long[] ks = new long[perRun];
                for (int j = 0; j < perRun; j++) ks[j] = keys.key((long) j * runs + r);
                Arrays.sort(ks);
                runKeys.add(ks);
                files.add(SsTable.write(dir.resolve(String.format(Locale.ROOT, "run-%03d.sst", r)), ks, values, null));
                progress.step();
            }
        }
        // newest first: run runs-1 was written last
        java.util.Collections.reverse(files);
        java.util.Collections.reverse(runKeys);

        var rnd = ctx.random("lookups");
        long[] absent = keys.range(total, total + lookups);
        long[] present = new long[lookups];
        for (int i = 0; i < lookups; i++) present[i] = keys.key(rnd.nextLong(total));

        List<Config> configs = List.of(
                new Config("no filter", null),
                new Config(String.format(Locale.ROOT, "classic Bloom, %.1f%%", fpp * 100), BloomFilter::create),
                new Config("blocked Bloom, same bits", (n, p) -> BlockedBloomFilter.withBits(BloomFilter.optimalBits(n, p))));

        List<Measured> measured = new ArrayList<>();
        boolean answersRight = true;
        for (Config config : configs) {
            List<SsTable> tables = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                MutableFilter f = null;
                if (config.maker() != null) {
                    f = config.maker().make(perRun, fpp);
                    for (long k : runKeys.get(r)) f.add(k);
                }
                tables.add(files.get(r).withFilter(f));
            }
            try (var store = new LsmStore(tables)) {
                // warm up the JIT and the page cache, unmeasured
                for (int i = 0; i < Math.min(lookups, 5_000); i++) {
                    store.get(absent[i]);
                    store.get(present[i]);
                }
                long readsBefore = store.reads();
                long t0 = System.nanoTime();
                for (long k : absent) {
                    if (store.get(k) != null) answersRight = false;
                }
                long t1 = System.nanoTime();
                long absentReads = store.reads() - readsBefore;
                readsBefore = store.reads();
                long t2 = System.nanoTime();
                for (long k : present) {
                    byte[] v = store.get(k);
                    if (v == null || ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).getLong() != k) answersRight = false;
                }
                long t3 = System.nanoTime();
                long presentReads = store.reads() - readsBefore;
                measured.add(new Measured(config.name(), (double) absentReads / lookups, (double) presentReads / lookups,
                        lookups / ((t1 - t0) / 1e9), lookups / ((t3 - t2) / 1e9), (double) store.filterBits() / total));
                ctx.log("  %-26s absent: %.3f reads/lookup, present: %.3f reads/lookup", config.name(),
                        (double) absentReads / lookups, (double) presentReads / lookups);
            }
        }
        long fileBytes = 0;
        for (SsTable t : files) {
            fileBytes += t.fileBytes();
            t.close();
        }
        LsmStore.deleteTree(dir);

        Measured none = measured.get(0);
        Measured classic = measured.get(1);
        Measured blocked = measured.get(2);
        double cut = 1 - classic.absentReads() / none.absentReads();
        double blockedCut = 1 - blocked.absentReads() / none.absentReads();

        var table = Table.of(String.format(Locale.ROOT, "%d runs x %d keys, %d lookups each of absent and present keys", runs, perRun, lookups),
                "filter per run", "bits/key", "reads/absent lookup", "reads/present lookup", "absent lookups/s", "present lookups/s");
        for (Measured m : measured) {
            table.row(m.config(), m.bitsPerKey(), m.absentReads(), m.presentReads(), Math.round(m.absentPerSec()), Math.round(m.presentPerSec()));
        }

        var b = LabResult.builder();
        b.table(table);
        b.metric("runs", runs, "runs");
        b.metric("keys", total, "keys");
        b.metric("store_bytes", fileBytes, "bytes");
        b.metric("reads_absent_no_filter", none.absentReads(), "reads/lookup");
        b.metric("reads_absent_classic", classic.absentReads(), "reads/lookup");
        b.metric("reads_absent_blocked", blocked.absentReads(), "reads/lookup");
        b.metric("reads_present_no_filter", none.presentReads(), "reads/lookup");
        b.metric("reads_present_classic", classic.presentReads(), "reads/lookup");
        b.metric("absent_read_cut_classic", cut, "ratio");
        b.metric("absent_read_cut_blocked", blockedCut, "ratio");
        b.metric("filter_bits_per_key", classic.bitsPerKey(), "bits/key");
        b.metric("absent_lookups_per_sec_no_filter", none.absentPerSec(), "lookups/s");
        b.metric("absent_lookups_per_sec_classic", classic.absentPerSec(), "lookups/s");
        b.metric("absent_speedup_classic", classic.absentPerSec() / none.absentPerSec(), "x");

        b.chart(Chart.bar("bloom-lsm", "Block reads per point lookup, " + runs + " runs")
                .xLabel("filter per run").yLabel("block reads per lookup")
                .categories(measured.stream().map(Measured::config).toList())
                .series("absent key", null, measured.stream().mapToDouble(Measured::absentReads).toArray())
                .series("present key", null, measured.stream().mapToDouble(Measured::presentReads).toArray()));

        b.claim("every lookup returned the right answer (absent: none; present: its own value), with and without filters", answersRight);
        b.claim(String.format(Locale.ROOT, "without filters an absent key costs a block read in nearly every run (%.3f reads for %d runs; "
                + "only keys outside a run's key range skip it)", none.absentReads(), runs), none.absentReads() >= 0.99 * runs);
        b.claim(String.format(Locale.ROOT, "at %.0f%% FPR the filters cut block reads for absent keys by at least 90%% (measured %.1f%%)", fpp * 100, cut * 100),
                cut >= 0.90);
        b.claim(String.format(Locale.ROOT, "reads for absent keys are runs x FPR: %.3f measured, %.3f expected at most", classic.absentReads(), runs * fpp * 1.5),
                classic.absentReads() <= runs * fpp * 1.5);
        return b.verdict(String.format(Locale.ROOT, "a %.1f-bit/key filter per run cut reads for absent keys from %.2f to %.3f per lookup (%.1f%% fewer); present keys: %.2f -> %.2f",
                classic.bitsPerKey(), none.absentReads(), classic.absentReads(), cut * 100, none.presentReads(), classic.presentReads())).build();
    }

    /** The value stored for a key: the key itself in its first 8 bytes, then a fixed pattern. */
    private static byte[] value(long key, int bytes) {
        var v = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        v.putLong(key);
        while (v.hasRemaining()) v.put((byte) (v.position() * 31));
        return v.array();
    }
}
