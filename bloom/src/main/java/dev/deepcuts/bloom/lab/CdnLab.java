package dev.deepcuts.bloom.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.deepcuts.core.Chart;
import dev.deepcuts.core.Lab;
import dev.deepcuts.core.LabContext;
import dev.deepcuts.core.LabResult;
import dev.deepcuts.core.Param;
import dev.deepcuts.core.Table;

/**
 * The CDN use of a Bloom filter: a cache that admits an object only on its second request (the
 * one-hit-wonder doorkeeper), against plain LRU, over a generated request stream of Zipf-popular
 * objects mixed with objects requested only once.
 */
public final class CdnLab implements Lab {

    @Override
    public String chapter() {
        return "bloom";
    }

    @Override
    public String id() {
        return "cdn";
    }

    @Override
    public String title() {
        return "CDN cache admission: LRU against LRU + a Bloom-filter doorkeeper (cache on second hit)";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.ofInt("objects", 1_000_000, 100_000, "objects in the popular (Zipf) catalogue"),
                Param.ofInt("requests", 10_000_000, 1_000_000, "requests in the stream"),
                Param.ofDouble("zipf", 0.8, 0.8, "Zipf exponent of the popular objects' request frequencies"),
                Param.ofDouble("oneHitRate", 0.2, 0.2, "share of requests that go to a brand-new object never requested again"),
                Param.ofDoubleList("cacheSizes", List.of(0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2), List.of(0.005, 0.02, 0.1),
                        "cache capacities, as fractions of the popular catalogue"),
                Param.ofDouble("referenceSize", 0.02, 0.02, "the cache size (one of cacheSizes) whose numbers the verdict quotes"),
                Param.ofDouble("doorkeeperFpp", 0.01, 0.01, "false-positive rate of each doorkeeper generation"),
                Param.ofDouble("warmup", 0.2, 0.2, "share of the stream replayed before counting"));
    }

    /** Counts for one policy at one cache size. */
    private record Outcome(double hitRatio, double byteHitRatio, long writes, long bytesWritten, long doorkeeperBytes) {
    }

    @Override
    public LabResult run(LabContext ctx) {
        int objects = ctx.intParam("objects");
        int requests = ctx.intParam("requests");
        double zipf = ctx.doubleParam("zipf");
        double oneHit = ctx.doubleParam("oneHitRate");
        List<Double> sizes = ctx.doubleListParam("cacheSizes");
        double reference = ctx.doubleParam("referenceSize");
        double dkFpp = ctx.doubleParam("doorkeeperFpp");
        double warmup = ctx.doubleParam("warmup");
        if (objects < 10 || requests < 100) throw new IllegalArgumentException("objects must be at least 10 and requests at least 100");
        if (oneHit < 0 || oneHit >= 1) throw new IllegalArgumentException("oneHitRate=" + oneHit + " must be in [0, 1)");
        if (!sizes.contains(reference)) throw new IllegalArgumentException("referenceSize=" + reference + " must be one of cacheSizes " + sizes);

        // region cdn-stream
        // The stream: with probability oneHitRate a request is for a brand-new object (a one-hit
        // wonder: a log line, a unique thumbnail); otherwise for a catalogue object drawn by a
        // Zipf law, where the object of rank r is requested in proportion to 1 / r^zipf.
        var keys = new Keys(ctx.seed());
        double[] cdf = zipfCdf(objects, zipf);
        var rnd = ctx.random("requests");
        long[] stream = new long[requests];
        long fresh = objects;
        for (int i = 0; i < requests; i++) {
            if (rnd.nextDouble() < oneHit) {
                stream[i] = keys.key(fresh++);
            } else {
                stream[i] = keys.key(rank(cdf, rnd.nextDouble()));
            }
        }
        // endregion cdn-stream
        Map<Long, Integer> counts = new java.util.HashMap<>();
        for (long id : stream) counts.merge(id, 1, Integer::sum);
        long once = counts.values().stream().filter(c -> c == 1).count();
        double oneHitShare = (double) once / counts.size();
        ctx.log("  %d requests to %d distinct objects, of which %.1f%% were requested exactly once", requests, counts.size(), oneHitShare * 100);
        counts = null;

        int warm = (int) (requests * warmup);
        var table = Table.of(String.format(Locale.ROOT, "%d requests, %.1f%% of distinct objects requested once", requests, oneHitShare * 100),
                "cache size", "objects", "LRU hit ratio", "+doorkeeper hit ratio", "LRU writes", "+doorkeeper writes", "writes saved", "doorkeeper KiB");
        double[] xs = new double[sizes.size()];
        double[] lruHits = new double[sizes.size()];
        double[] dkHits = new double[sizes.size()];
        double[] lruWrites = new double[sizes.size()];
        double[] dkWrites = new double[sizes.size()];
        Outcome refLru = null;
        Outcome refDk = null;
        boolean neverWorseAtSmall = true;
        try (var progress = ctx.progress("replaying", sizes.size() * 2L)) {
            for (int s = 0; s < sizes.size(); s++) {
                int capacity = Math.max(1, (int) Math.round(objects * sizes.get(s)));
                Outcome lru = replay(stream, warm, capacity, null);
                progress.step();
                // the doorkeeper remembers first requests over a window of a few cache-fulls of distinct objects
                Outcome dk = replay(stream, warm, capacity, new Doorkeeper(Math.max(1_000, 4L * capacity), dkFpp));
                progress.step();
                xs[s] = sizes.get(s) * 100;
                lruHits[s] = lru.hitRatio();
                dkHits[s] = dk.hitRatio();
                lruWrites[s] = (double) lru.writes() / (requests - warm) * 1000;
                dkWrites[s] = (double) dk.writes() / (requests - warm) * 1000;
                table.row(String.format(Locale.ROOT, "%.1f%%", sizes.get(s) * 100), capacity, lru.hitRatio(), dk.hitRatio(),
                        lru.writes(), dk.writes(), String.format(Locale.ROOT, "%.1f%%", 100.0 * (1 - (double) dk.writes() / lru.writes())),
                        dk.doorkeeperBytes() / 1024);
                if (sizes.get(s) == reference) {
                    refLru = lru;
                    refDk = dk;
                }
                if (sizes.get(s) <= reference && dk.hitRatio() < lru.hitRatio()) neverWorseAtSmall = false;
            }
        }
        double saved = 1 - (double) refDk.writes() / refLru.writes();
        double bytesSaved = 1 - (double) refDk.bytesWritten() / refLru.bytesWritten();

        var b = LabResult.builder();
        b.table(table);
        b.metric("one_hit_share", oneHitShare, "ratio");
        b.metric("reference_cache_share", reference, "ratio");
        b.metric("hit_ratio_lru", refLru.hitRatio(), "ratio");
        b.metric("hit_ratio_doorkeeper", refDk.hitRatio(), "ratio");
        b.metric("byte_hit_ratio_lru", refLru.byteHitRatio(), "ratio");
        b.metric("byte_hit_ratio_doorkeeper", refDk.byteHitRatio(), "ratio");
        b.metric("writes_saved", saved, "ratio");
        b.metric("bytes_written_saved", bytesSaved, "ratio");
        b.metric("doorkeeper_bytes", refDk.doorkeeperBytes(), "bytes");
        b.chart(Chart.line("bloom-cdn", "Cache hit ratio: LRU vs LRU + doorkeeper")
                .xLabel("cache size (% of catalogue objects)").yLabel("hit ratio (after warm-up)").logX()
                .series("LRU", xs, lruHits).series("LRU + doorkeeper", xs, dkHits));
        b.chart(Chart.line("bloom-cdn-writes", "Cache writes: LRU vs LRU + doorkeeper")
                .xLabel("cache size (% of catalogue objects)").yLabel("cache writes per 1000 requests").logX()
                .series("LRU", xs, lruWrites).series("LRU + doorkeeper", xs, dkWrites));

        b.claim(String.format(Locale.ROOT, "the stream has a realistic share of one-hit wonders: %.1f%% of distinct objects requested once (Maggs and Sitaraman report roughly three quarters for Akamai)", oneHitShare * 100),
                oneHitShare >= 0.6 && oneHitShare <= 0.85);
        b.claim(String.format(Locale.ROOT, "at a cache of %.1f%% of the catalogue the doorkeeper saves at least 40%% of cache writes (measured %.1f%%)", reference * 100, saved * 100),
                saved >= 0.40);
        b.claim(String.format(Locale.ROOT, "at cache sizes up to %.1f%% of the catalogue the doorkeeper's hit ratio is at least LRU's", reference * 100),
                neverWorseAtSmall);
        return b.verdict(String.format(Locale.ROOT, "cache = %.1f%% of catalogue: hit ratio %.3f -> %.3f, cache writes -%.1f%%, for a %d KiB doorkeeper",
                reference * 100, refLru.hitRatio(), refDk.hitRatio(), saved * 100, refDk.doorkeeperBytes() / 1024)).build();
    }

    /** Replays the stream through an LRU cache of {@code capacity} objects, with or without a doorkeeper. */
    private static Outcome replay(long[] stream, int warm, int capacity, Doorkeeper doorkeeper) {
        var cache = new LinkedHashMap<Long, Boolean>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                return size() > capacity;
            }
        };
        long hits = 0;
        long hitBytes = 0;
        long allBytes = 0;
        long writes = 0;
        long bytesWritten = 0;
        for (int i = 0; i < stream.length; i++) {
            long id = stream[i];
            boolean counted = i >= warm;
            long size = objectBytes(id);
            if (cache.get(id) != null) {
                if (counted) {
                    hits++;
                    hitBytes += size;
                }
            } else if (doorkeeper == null || doorkeeper.admit(id)) {
                cache.put(id, Boolean.TRUE);
                if (counted) {
                    writes++;
                    bytesWritten += size;
                }
            }
            if (counted) allBytes += size;
        }
        long counted = stream.length - warm;
        return new Outcome((double) hits / counted, (double) hitBytes / allBytes, writes, bytesWritten,
                doorkeeper == null ? 0 : doorkeeper.bytes());
    }

    /** An object's size, fixed by its id: log-uniform between 1 KiB and 1 MiB. */
    static long objectBytes(long id) {
        double u = (Keys.fmix64(id) >>> 11) * 0x1.0p-53;
        return (long) (1024 * Math.pow(1024, u));
    }

    private static double[] zipfCdf(int n, double s) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int r = 1; r <= n; r++) {
            sum += 1 / Math.pow(r, s);
            cdf[r - 1] = sum;
        }
        for (int i = 0; i < n; i++) cdf[i] /= sum;
        cdf[n - 1] = 1.0;
        return cdf;
    }

    private static int rank(double[] cdf, double u) {
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] < u) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

}
