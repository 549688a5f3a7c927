package dev.deepcuts.bench.bloom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;

import dev.deepcuts.core.BenchResult.Better;
import dev.deepcuts.core.BenchResult.Row;
import dev.deepcuts.core.Catalog;

/** The wiring of the Bloom bench, checked without running JMH. */
class BloomBenchTest {

    private static final String PACKAGE = "dev.deepcuts.bench.bloom.";

    @Test
    void theCatalogFindsTheBloomBenchThroughServiceLoader() {
        var benches = Catalog.load().benches("bloom");
        assertThat(benches).hasSize(1);
        assertThat(benches.getFirst()).isInstanceOf(BloomBench.class);
        assertThat(benches.getFirst().chapter()).isEqualTo("bloom");
    }

    @Test
    void everyCaseAndContenderHasItsBenchmarkMethodAndNoMethodIsUnaccounted() throws Exception {
        List<String> expected = new ArrayList<>();
        for (BenchCase c : BenchCase.values()) {
            for (Contender k : Contender.values()) {
                if (c.appliesTo(k)) {
                    expected.add(c.benchClass + "." + k.method);
                }
            }
        }
        List<String> found = new ArrayList<>();
        for (String cls : List.of("InsertBench", "BuildBench", "LookupBench")) {
            for (Method m : Class.forName(PACKAGE + cls).getDeclaredMethods()) {
                if (m.isAnnotationPresent(Benchmark.class)) {
                    assertThat(Modifier.isPublic(m.getModifiers())).as(m.toString()).isTrue();
                    assertThat(m.getReturnType()).as("%s returns its work to JMH", m).isNotEqualTo(void.class);
                    found.add(cls + "." + m.getName());
                    if (cls.equals("LookupBench")) {
                        found.add(cls + "." + m.getName()); // positive and negative
                    }
                }
            }
        }
        assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void jmhsAnnotationProcessorRanAndListedEveryBenchmark() throws IOException {
        String list;
        try (InputStream in = BloomBench.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertThat(in).as("META-INF/BenchmarkList: is jmh-generator-annprocess in annotationProcessorPaths?").isNotNull();
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (Contender k : Contender.values()) {
            assertThat(list).contains("LookupBench_" + k.method + "_jmhTest");
            assertThat(list).contains((k.mutable ? "InsertBench_" : "BuildBench_") + k.method + "_jmhTest");
        }
    }

    @Test
    void timingsAreConvertedToTheTablesUnits() {
        var insert = BloomBench.Timing.of(PACKAGE + "InsertBench.guava", "1000000", null, 150.0, 3.0, "ms/op");
        assertThat(insert.benchCase()).isEqualTo(BenchCase.INSERT);
        assertThat(insert.contender()).isEqualTo(Contender.GUAVA);
        assertThat(insert.value()).as("150 ms for 1M keys").isCloseTo(150.0, within(1e-9));
        assertThat(insert.error()).isCloseTo(3.0, within(1e-9));

        var build = BloomBench.Timing.of(PACKAGE + "BuildBench.binaryFuse8", "10000000", null, 0.8, 0.1, "s/op");
        assertThat(build.benchCase()).isEqualTo(BenchCase.BUILD);
        assertThat(build.value()).as("0.8 s for 10M keys").isCloseTo(80.0, within(1e-9));

        var lookup = BloomBench.Timing.of(PACKAGE + "LookupBench.fastFilterXor8", "1000000", "negative", 7.5, Double.NaN, "ns/op");
        assertThat(lookup.benchCase()).isEqualTo(BenchCase.NEGATIVE_LOOKUP);
        assertThat(lookup.contender()).isEqualTo(Contender.FASTFILTER_XOR8);
        assertThat(lookup.value()).isEqualTo(7.5);
        assertThat(lookup.describe()).isEqualTo("negative lookup, FastFilter Xor8, 1M keys");

        assertThatThrownBy(() -> BloomBench.Timing.of(PACKAGE + "LookupBench.guava", "1000", "negative", 1, 0, "ops/ms"))
                .hasMessageContaining("ops/ms");
    }

    @Test
    void rowsSetEachOfOurFiltersBesideItsNaturalPeers() {
        List<BloomBench.Timing> timings = new ArrayList<>();
        double figure = 1;
        for (int keys : new int[] {1_000_000, 100_000_000}) {
            for (BenchCase c : BenchCase.values()) {
                for (Contender k : Contender.values()) {
                    if (c.appliesTo(k) && (keys == 1_000_000 || !c.perKey())) {
                        timings.add(new BloomBench.Timing(c, k, keys, figure++, 0));
                    }
                }
            }
        }
        Map<Contender, Contender.Accuracy> accuracy = new EnumMap<>(Contender.class);
        for (Contender k : Contender.values()) {
            accuracy.put(k, new Contender.Accuracy(9 + k.ordinal() / 10.0, 0.01 + k.ordinal() / 1000.0));
        }

        List<Row> rows = BloomBench.rows(timings, accuracy, 1_000_000);

        assertThat(rows).extracting(Row::name).containsExactly(
                "insert, BloomFilter, 1M keys",
                "insert, BlockedBloomFilter, 1M keys",
                "insert, SplitBlockBloomFilter, 1M keys",
                "build, BinaryFuseFilter 8-bit, 1M keys",
                "positive lookup, BloomFilter, 1M keys",
                "positive lookup, BlockedBloomFilter, 1M keys",
                "positive lookup, SplitBlockBloomFilter, 1M keys",
                "positive lookup, BinaryFuseFilter 8-bit, 1M keys",
                "positive lookup, BloomFilter, 100M keys",
                "positive lookup, BlockedBloomFilter, 100M keys",
                "positive lookup, SplitBlockBloomFilter, 100M keys",
                "positive lookup, BinaryFuseFilter 8-bit, 100M keys",
                "negative lookup, BloomFilter, 1M keys",
                "negative lookup, BlockedBloomFilter, 1M keys",
                "negative lookup, SplitBlockBloomFilter, 1M keys",
                "negative lookup, BinaryFuseFilter 8-bit, 1M keys",
                "negative lookup, BloomFilter, 100M keys",
                "negative lookup, BlockedBloomFilter, 100M keys",
                "negative lookup, SplitBlockBloomFilter, 100M keys",
                "negative lookup, BinaryFuseFilter 8-bit, 100M keys",
                "bits per key, BloomFilter, 1M keys",
                "bits per key, BlockedBloomFilter, 1M keys",
                "bits per key, SplitBlockBloomFilter, 1M keys",
                "bits per key, BinaryFuseFilter 8-bit, 1M keys",
                "false-positive rate, BloomFilter, 1M keys",
                "false-positive rate, BlockedBloomFilter, 1M keys",
                "false-positive rate, SplitBlockBloomFilter, 1M keys",
                "false-positive rate, BinaryFuseFilter 8-bit, 1M keys");
        assertThat(rows).allSatisfy(r -> assertThat(r.better()).isEqualTo(Better.LOWER));

        Row insert = row(rows, "insert, BloomFilter, 1M keys");
        assertThat(insert.unit()).isEqualTo("ns/key");
        assertThat(insert.ours()).isEqualTo(figureOf(timings, BenchCase.INSERT, Contender.BLOOM_FILTER, 1_000_000));
        assertThat(insert.peers()).containsExactly(
                Map.entry("Guava", figureOf(timings, BenchCase.INSERT, Contender.GUAVA, 1_000_000)),
                Map.entry("FastFilter Bloom", figureOf(timings, BenchCase.INSERT, Contender.FASTFILTER_BLOOM, 1_000_000)));

        Row split = row(rows, "negative lookup, SplitBlockBloomFilter, 100M keys");
        assertThat(split.unit()).isEqualTo("ns/op");
        assertThat(split.ours()).isEqualTo(figureOf(timings, BenchCase.NEGATIVE_LOOKUP, Contender.SPLIT_BLOCK_BLOOM_FILTER, 100_000_000));
        assertThat(split.peers()).containsOnlyKeys("FastFilter BlockedBloom");
        assertThat(split.peers().get("FastFilter BlockedBloom"))
                .isEqualTo(figureOf(timings, BenchCase.NEGATIVE_LOOKUP, Contender.FASTFILTER_BLOCKED_BLOOM, 100_000_000));

        Row build = row(rows, "build, BinaryFuseFilter 8-bit, 1M keys");
        assertThat(build.unit()).isEqualTo("ns/key");
        assertThat(build.peers()).containsOnlyKeys("FastFilter Xor8", "FastFilter XorFuse8");

        Row fpr = row(rows, "false-positive rate, BinaryFuseFilter 8-bit, 1M keys");
        assertThat(fpr.unit()).isEqualTo("ratio");
        assertThat(fpr.ours()).isEqualTo(accuracy.get(Contender.BINARY_FUSE_8).falsePositiveRate());
        assertThat(fpr.peers()).containsExactly(
                Map.entry("FastFilter Xor8", accuracy.get(Contender.FASTFILTER_XOR8).falsePositiveRate()),
                Map.entry("FastFilter XorFuse8", accuracy.get(Contender.FASTFILTER_XOR_FUSE8).falsePositiveRate()));

        Row bits = row(rows, "bits per key, BlockedBloomFilter, 1M keys");
        assertThat(bits.unit()).isEqualTo("bits/key");
        assertThat(bits.peers()).containsExactly(Map.entry("FastFilter BlockedBloom", accuracy.get(Contender.FASTFILTER_BLOCKED_BLOOM).bitsPerKey()));
    }

    @Test
    void aPeerThatWasNotMeasuredIsLeftOutOfItsRow() {
        var timings = List.of(
                new BloomBench.Timing(BenchCase.POSITIVE_LOOKUP, Contender.BLOOM_FILTER, 1000, 20, 0),
                new BloomBench.Timing(BenchCase.POSITIVE_LOOKUP, Contender.GUAVA, 1000, 80, 0));
        List<Row> rows = BloomBench.rows(timings, Map.of(), 1000);
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("positive lookup, BloomFilter, 1K keys");
            assertThat(r.peers()).containsExactly(Map.entry("Guava", 80.0));
            assertThat(r.advantageOver("Guava")).isEqualTo(4.0);
        });
    }

    @Test
    void eachPlanSelectsOnlyItsCasesClasses() {
        var quick = BloomBench.QUICK;
        assertThat(quick.benchmarkCount()).isEqualTo(6 + 3 + 9 + 9);
        var all = BloomBench.options(quick, quick.plans().getFirst());
        assertThat(all.getIncludes()).singleElement().satisfies(regex -> {
            var p = Pattern.compile(regex);
            assertThat(p.matcher(PACKAGE + "InsertBench.guava").find()).isTrue();
            assertThat(p.matcher(PACKAGE + "BuildBench.binaryFuse8").find()).isTrue();
            assertThat(p.matcher(PACKAGE + "LookupBench.bloomFilter").find()).isTrue();
            assertThat(p.matcher("org.example.LookupBench.bloomFilter").find()).isFalse();
        });
        assertThat(all.getParameter("keys").get()).containsExactly("1000000");
        assertThat(all.getForkCount().get()).isEqualTo(1);
        assertThat(all.getJvmArgs().get()).contains("-Xmx1g");

        var full = BloomBench.FULL;
        var big = full.plans().getLast();
        assertThat(big.keys()).isEqualTo(100_000_000);
        var lookupsOnly = BloomBench.options(full, big);
        var p = Pattern.compile(lookupsOnly.getIncludes().iterator().next());
        assertThat(p.matcher(PACKAGE + "LookupBench.guava").find()).isTrue();
        assertThat(p.matcher(PACKAGE + "InsertBench.guava").find()).isFalse();
        assertThat(full.benchmarkCount()).isEqualTo(27 + 18);
    }

    @Test
    void countsAreShortInCaseNames() {
        assertThat(BloomBench.count(10_000_000)).isEqualTo("10M");
        assertThat(BloomBench.count(250_000)).isEqualTo("250K");
        assertThat(BloomBench.count(1234)).isEqualTo("1234");
    }

    private static Row row(List<Row> rows, String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    private static double figureOf(List<BloomBench.Timing> timings, BenchCase c, Contender k, int keys) {
        return timings.stream().filter(t -> t.benchCase() == c && t.contender() == k && t.keys() == keys)
                .findFirst().orElseThrow().value();
    }
}
