package dev.deepcuts.crdt.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.deepcuts.core.Repo;

/** The real editing traces replayed into a TextDocument give their endContent, and survive an encode/decode. */
class TraceReplayTest {

    static Path trace(String name) {
        Path p = Repo.root().resolve("data/editing-traces/" + name + ".json.gz");
        Assumptions.assumeTrue(Files.isRegularFile(p), "trace not found at " + p + ": skipped");
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"automerge-paper", "seph-blog1"})
    void replayGivesTheEndContent(String name) throws IOException {
        EditTrace trace = EditTrace.load(trace(name));
        TextDocument doc = new TextDocument(0);
        trace.replay(doc);
        doc.check();
        assertThat(doc.text()).isEqualTo(trace.endContent());
        assertThat(doc.totalLength()).isEqualTo(trace.insertedChars());
        assertThat(doc.length()).isEqualTo(trace.insertedChars() - trace.deletedChars());

        byte[] bytes = doc.encode();
        TextDocument back = TextDocument.decode(bytes, 1);
        back.check();
        assertThat(back.text()).isEqualTo(trace.endContent());
        assertThat(back.version()).isEqualTo(doc.version());
        // the decoded replica can keep editing and syncing
        back.insert(0, "% reviewed\n");
        doc.apply(back.opsSince(doc.version()));
        assertThat(doc.text()).isEqualTo("% reviewed\n" + trace.endContent());
    }
}
