package dev.deepcuts.crdt.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EditTraceTest {

    @TempDir
    Path dir;

    private Path write(String name, String json) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, json);
        return p;
    }

    @Test
    void loadsPlainAndGzippedTraces() throws IOException {
        String json = "{\"startContent\":\"\",\"endContent\":\"hi!\",\"txns\":[{\"time\":\"x\",\"patches\":[[0,0,\"hx\"]]},"
                + "{\"patches\":[[1,1,\"\"],[1,0,\"i!\"]]}]}";
        EditTrace plain = EditTrace.load(write("t.json", json));
        Path gz = dir.resolve("t2.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        EditTrace zipped = EditTrace.load(gz);
        for (EditTrace t : new EditTrace[] {plain, zipped}) {
            assertThat(t.transactions()).isEqualTo(2);
            assertThat(t.patches()).isEqualTo(3);
            TextDocument doc = new TextDocument(0);
            t.replay(doc);
            assertThat(doc.text()).isEqualTo("hi!");
        }
        assertThat(zipped.name()).isEqualTo("t2");
    }

    @Test
    void malformedTracesGetOneLineNamingTheProblem() throws IOException {
        assertThatThrownBy(() -> EditTrace.load(write("a.json", "[1,2]")))
                .isInstanceOf(TraceFormatException.class).hasMessageContaining("a.json").hasMessageContaining("JSON object");
        assertThatThrownBy(() -> EditTrace.load(write("b.json", "{\"startContent\":\"\",\"endContent\":\"x\"}")))
                .hasMessageContaining("missing txns");
        assertThatThrownBy(() -> EditTrace.load(write("c.json",
                "{\"startContent\":\"\",\"endContent\":\"x\",\"txns\":[{\"patches\":[[0,\"1\",\"x\"]]}]}")))
                .hasMessageContaining("transaction 0, patch 0").hasMessageContaining("deleted count");
        assertThatThrownBy(() -> EditTrace.load(write("d.json",
                "{\"startContent\":\"\",\"endContent\":\"x\",\"txns\":[{\"patches\":[[3,0,\"x\"]]}]}")))
                .hasMessageContaining("only 0 characters long");
        assertThatThrownBy(() -> EditTrace.load(write("e.json",
                "{\"startContent\":\"\",\"endContent\":\"y\",\"txns\":[{\"patches\":[[0,0,\"x\"]]}]}")))
                .hasMessageContaining("does not give endContent");
        assertThatThrownBy(() -> EditTrace.load(write("f.json", "{\"startContent\":\"\", oops")))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> EditTrace.load(write("g.json",
                "{\"startContent\":\"\",\"endContent\":\"\uD83D\uDE00\",\"txns\":[]}")))
                .hasMessageContaining("above U+FFFF");
        for (Throwable t : new Throwable[] {catchIt("h.json", "{")}) {
            assertThat(t.getMessage()).doesNotContain("\n");
        }
    }

    private Throwable catchIt(String name, String json) throws IOException {
        Path p = write(name, json);
        try {
            EditTrace.load(p);
            return new AssertionError("no error");
        } catch (RuntimeException | IOException e) {
            return e;
        }
    }
}
