package dev.deepcuts.crdt.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class TextCodecTest {

    private static TextDocument edited(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        TextDocument a = new TextDocument(1);
        TextDocument b = new TextDocument(2);
        for (int i = 0; i < 80; i++) {
            TextDocumentTest.randomEdit(rnd.nextBoolean() ? a : b, rnd);
            if (i % 10 == 0) {
                a.apply(b.opsSince(a.version()));
                b.apply(a.opsSince(b.version()));
            }
        }
        a.apply(b.opsSince(a.version()));
        return a;
    }

    @Test
    void roundTripKeepsTextVersionAndHistory() {
        for (long seed = 0; seed < 50; seed++) {
            TextDocument doc = edited(seed);
            TextDocument back = TextDocument.decode(doc.encode(), 7);
            back.check();
            assertThat(back.text()).isEqualTo(doc.text());
            assertThat(back.version()).isEqualTo(doc.version());
            assertThat(back.opsSince(VersionVector.empty())).isEqualTo(doc.opsSince(VersionVector.empty()));
        }
    }

    @Test
    void anEmptyDocumentRoundTrips() {
        assertThat(TextDocument.decode(new TextDocument(0).encode(), 0).text()).isEmpty();
    }

    @Test
    void everyFlippedByteIsDetected() {
        byte[] bytes = edited(3).encode();
        for (int i = 0; i < bytes.length; i++) {
            byte[] bad = bytes.clone();
            bad[i] ^= 0x10;
            int at = i;
            assertThatThrownBy(() -> TextDocument.decode(bad, 0)).as("flip at %d", at)
                    .isInstanceOf(CorruptDocumentException.class).hasMessageContaining("at byte");
        }
    }

    @Test
    void everyTruncationIsDetected() {
        byte[] bytes = edited(4).encode();
        for (int n = 0; n < bytes.length; n++) {
            byte[] cut = Arrays.copyOf(bytes, n);
            assertThatThrownBy(() -> TextDocument.decode(cut, 0)).as("first %d bytes", n)
                    .isInstanceOf(CorruptDocumentException.class);
        }
    }

    @Test
    void somethingElseEntirelyIsNamed() {
        assertThatThrownBy(() -> TextDocument.decode("{\"not\": \"a document\"}".getBytes(), 0))
                .isInstanceOf(CorruptDocumentException.class).hasMessageContaining("magic");
    }
}
