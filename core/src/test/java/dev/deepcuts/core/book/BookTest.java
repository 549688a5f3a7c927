package dev.deepcuts.core.book;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny repository in a temp folder, broken in each of the ways book check must catch. */
class BookTest {

    @TempDir
    Path root;

    private static final String SOURCE = """
            package x;
            class Probe {
                int probe(long h) {
                    // region probe
                    int i = (int) (h >>> 58);
                    return i;
                    // endregion probe
                }
            }
            """;

    private static final String CHAPTER = """
            # Chapter

            The probe:

            <!-- include: m/src/main/java/x/Probe.java#probe -->
            ```java
            int i = (int) (h >>> 58);
            return i;
            ```
            <!-- /include -->

            We measured <!-- value: bloom/fpr metrics.measured_fpr.value*100 %.2f -->0.82<!-- /value -->% and
            the peer <!-- value: bench/bloom rows[case=negative lookup].peers.Guava %.0f -->141<!-- /value --> ns.

            ![the rate](figures/bloom-fpr.png)
            """;

    @BeforeEach
    void writeRepository() throws IOException {
        write("m/src/main/java/x/Probe.java", SOURCE);
        write("book/05-bloom.md", CHAPTER);
        write("book/results/bloom-fpr.json", "{\"metrics\": {\"measured_fpr\": {\"value\": 0.0082, \"unit\": \"ratio\"}}}");
        write("book/results/bench-bloom.json", "{\"rows\": [{\"case\": \"negative lookup\", \"ours\": 6.1, \"peers\": {\"Guava\": 141.2}}]}");
        write("book/figures/bloom-fpr.png", "png");
    }

    @Test
    void aChapterInStepWithItsSourcesPasses() {
        assertThat(Book.check(root)).isEmpty();
    }

    @Test
    void catchesAStaleListingAndSyncRepairsIt() throws IOException {
        write("m/src/main/java/x/Probe.java", SOURCE.replace(">>> 58", ">>> 57"));
        assertThat(causes()).containsExactly("book/05-bloom.md:5: stale listing of m/src/main/java/x/Probe.java#probe: it differs from the source (run ./deepcuts book sync)");

        Book.SyncReport report = Book.sync(root);
        assertThat(report.listingsRewritten()).isEqualTo(1);
        assertThat(report.problems()).isEmpty();
        assertThat(Files.readString(root.resolve("book/05-bloom.md"))).contains("(h >>> 57)");
        assertThat(Book.check(root)).isEmpty();
    }

    @Test
    void catchesAMissingFileAndAMissingRegion() throws IOException {
        write("book/05-bloom.md", CHAPTER.replace("Probe.java#probe", "Probe.java#prob"));
        assertThat(causes()).singleElement().asString()
                .startsWith("book/05-bloom.md:5: region 'prob' not found in m/src/main/java/x/Probe.java; its regions: probe");
        write("book/05-bloom.md", CHAPTER.replace("Probe.java#probe", "Missing.java#probe"));
        assertThat(causes()).containsExactly("book/05-bloom.md:5: included file m/src/main/java/x/Missing.java does not exist");
    }

    @Test
    void catchesARegionOpenedAndNeverClosedOrClosedTwice() throws IOException {
        write("m/src/main/java/x/Probe.java", SOURCE.replace("        // endregion probe\n", ""));
        assertThat(causes()).contains("m/src/main/java/x/Probe.java:4: region 'probe' opened and never closed");

        write("m/src/main/java/x/Probe.java", SOURCE.replace("        // endregion probe\n", "        // endregion probe\n        // endregion probe\n"));
        assertThat(causes()).contains("m/src/main/java/x/Probe.java:8: region 'probe' closed twice");
    }

    @Test
    void catchesAFigureThatDoesNotExist() throws IOException {
        Files.delete(root.resolve("book/figures/bloom-fpr.png"));
        assertThat(causes()).singleElement().asString().startsWith("book/05-bloom.md:15: figure figures/bloom-fpr.png does not exist");
    }

    @Test
    void catchesAStaleValueAndAMissingResultAndSyncRewritesValues() throws IOException {
        write("book/results/bloom-fpr.json", "{\"metrics\": {\"measured_fpr\": {\"value\": 0.0091, \"unit\": \"ratio\"}}}");
        assertThat(causes()).containsExactly("book/05-bloom.md:12: stale value '0.82' for bloom/fpr metrics.measured_fpr.value*100 %.2f: the result says '0.91' (run ./deepcuts book sync)");
        assertThat(Book.sync(root).valuesRewritten()).isEqualTo(1);
        assertThat(Files.readString(root.resolve("book/05-bloom.md"))).contains("-->0.91<!--");

        Files.delete(root.resolve("book/results/bench-bloom.json"));
        assertThat(causes()).singleElement().asString().contains("result book/results/bench-bloom.json does not exist: run ./deepcuts bench bloom");
    }

    @Test
    void catchesAValuePathThatLeadsNowhere() throws IOException {
        write("book/05-bloom.md", CHAPTER.replace("case=negative lookup", "case=positive lookup"));
        assertThat(causes()).singleElement().asString().contains("no element with case=positive lookup in 'rows'; there are: [negative lookup]");
    }

    @Test
    void catchesAnIncludeThatIsNeverClosed() throws IOException {
        write("book/05-bloom.md", CHAPTER.replace("<!-- /include -->\n", ""));
        assertThat(causes()).contains("book/05-bloom.md:5: include of m/src/main/java/x/Probe.java#probe is never closed with <!-- /include -->");
    }

    @Test
    void anIncludeInsideAListItemIsIndentedLikeItsMarker() throws IOException {
        write("book/06-list.md", """
                1. An exercise:

                   <!-- include: m/src/main/java/x/Probe.java#probe -->
                   <!-- /include -->
                """);
        assertThat(causes()).singleElement().asString().contains("book/06-list.md:3: stale listing");
        Book.sync(root);
        assertThat(Files.readString(root.resolve("book/06-list.md"))).contains("""
                   <!-- include: m/src/main/java/x/Probe.java#probe -->
                   ```java
                   int i = (int) (h >>> 58);
                   return i;
                   ```
                   <!-- /include -->
                """);
        assertThat(Book.check(root)).isEmpty();
    }

    @Test
    void regionsAreDedentedAndSkipOtherRegionsMarkers() {
        var parsed = Regions.parse("""
                // region outer
                    a();
                    // region inner
                    b();
                    // endregion inner
                // endregion outer
                """);
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.regions().get("outer")).isEqualTo("a();\nb();\n");
        assertThat(parsed.regions().get("inner")).isEqualTo("b();\n");
    }

    private List<String> causes() {
        return Book.check(root).stream().map(Book.Problem::toString).toList();
    }

    private void write(String rel, String text) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }
}
