package dev.deepcuts.crdt.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class TextDocumentTest {

    @Test
    void localEditsBehaveLikeAStringBuilder() {
        for (int seed = 0; seed < 40; seed++) {
            randomLocalEdits(seed, 3000);
        }
    }

    @Property(tries = 60)
    void anyLocalEditSequenceMatchesAPlainString(@ForAll long seed, @ForAll @IntRange(min = 1, max = 600) int edits) {
        randomLocalEdits(seed, edits);
    }

    private static void randomLocalEdits(long seed, int edits) {
        SplittableRandom rnd = new SplittableRandom(seed);
        TextDocument doc = new TextDocument(1);
        StringBuilder model = new StringBuilder();
        int cursor = 0;
        for (int e = 0; e < edits; e++) {
            // mostly typing and backspacing near a moving cursor, like a person; sometimes a jump or a block edit
            if (rnd.nextInt(20) == 0) {
                cursor = rnd.nextInt(model.length() + 1);
            }
            cursor = Math.min(cursor, model.length());
            int r = rnd.nextInt(10);
            if (r < 6 || model.isEmpty()) {
                String s = rnd.nextInt(10) == 0 ? "block" + e : String.valueOf((char) ('a' + rnd.nextInt(26)));
                doc.insert(cursor, s);
                model.insert(cursor, s);
                cursor += s.length();
            } else if (r < 9 && cursor > 0) {
                doc.delete(cursor - 1, 1);
                model.deleteCharAt(cursor - 1);
                cursor--;
            } else {
                int pos = rnd.nextInt(model.length());
                int len = 1 + rnd.nextInt(Math.min(40, model.length() - pos));
                doc.delete(pos, len);
                model.delete(pos, pos + len);
            }
            if (e % 97 == 0) {
                doc.check();
                assertThat(doc.text()).as("seed %d after %d edits", seed, e).isEqualTo(model.toString());
            }
        }
        doc.check();
        assertThat(doc.text()).as("seed %d", seed).isEqualTo(model.toString());
        assertThat(doc.length()).isEqualTo(model.length());
    }

    @Test
    void typingIsOneRun() {
        TextDocument doc = new TextDocument(0);
        String s = "the quick brown fox";
        for (int i = 0; i < s.length(); i++) {
            doc.insert(i, String.valueOf(s.charAt(i)));
        }
        assertThat(doc.text()).isEqualTo(s);
        assertThat(doc.runs()).isEqualTo(1);
        assertThat(doc.logEntries()).isEqualTo(1);
        doc.delete(s.length() - 1, 1);
        doc.delete(s.length() - 2, 1);
        doc.delete(s.length() - 3, 1);
        assertThat(doc.runs()).as("visible part + one merged tombstone run").isEqualTo(2);
        assertThat(doc.logEntries()).as("the insert + one backward delete run").isEqualTo(2);
    }

    @Test
    void badPositionsAreRefusedWithTheValue() {
        TextDocument doc = new TextDocument(0);
        doc.insert(0, "abc");
        assertThatThrownBy(() -> doc.insert(4, "x")).hasMessageContaining("4").hasMessageContaining("[0, 3]");
        assertThatThrownBy(() -> doc.delete(2, 2)).hasMessageContaining("[2, 4)");
        assertThatThrownBy(() -> doc.insert(0, "")).hasMessageContaining("empty");
        assertThatThrownBy(() -> new TextDocument(-1)).hasMessageContaining("-1");
    }

    @Test
    void replicasConvergeWhateverTheDeliveryOrder() {
        for (int seed = 0; seed < 200; seed++) {
            converge(seed, 3, 60);
        }
    }

    @Property(tries = 100)
    void concurrentEditsConverge(@ForAll long seed, @ForAll @IntRange(min = 2, max = 4) int replicas) {
        converge(seed, replicas, 40);
    }

    /**
     * Replicas edit concurrently; now and then one sends some of its ops to another, shuffled and
     * with duplicates; in the end everyone gets everything and all texts must be equal.
     */
    static void converge(long seed, int n, int rounds) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<TextDocument> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            docs.add(new TextDocument(i + 1));
        }
        for (int round = 0; round < rounds; round++) {
            TextDocument d = docs.get(rnd.nextInt(n));
            int k = 1 + rnd.nextInt(4);
            for (int j = 0; j < k; j++) {
                randomEdit(d, rnd);
            }
            if (rnd.nextInt(3) == 0) {
                TextDocument from = docs.get(rnd.nextInt(n));
                TextDocument to = docs.get(rnd.nextInt(n));
                List<TextOp> ops = new ArrayList<>(from.opsSince(rnd.nextBoolean() ? VersionVector.empty() : to.version()));
                shuffleSome(ops, rnd);
                if (!ops.isEmpty() && rnd.nextBoolean()) {
                    ops.add(ops.get(rnd.nextInt(ops.size())));
                }
                // deliver only a random part now (the rest may arrive later or never from this sender)
                to.apply(ops.subList(0, rnd.nextInt(ops.size() + 1)));
            }
        }
        for (TextDocument to : docs) {
            for (TextDocument from : docs) {
                List<TextOp> ops = new ArrayList<>(from.opsSince(VersionVector.empty()));
                shuffleSome(ops, rnd);
                to.apply(ops);
            }
        }
        String expected = docs.get(0).text();
        for (TextDocument d : docs) {
            d.check();
            assertThat(d.pending()).as("seed %d", seed).isZero();
            assertThat(d.text()).as("seed %d, replica %d", seed, d.agent()).isEqualTo(expected);
            assertThat(d.version()).isEqualTo(docs.get(0).version());
        }
    }

    static void randomEdit(TextDocument d, SplittableRandom rnd) {
        int len = d.length();
        if (len == 0 || rnd.nextInt(3) > 0) {
            StringBuilder s = new StringBuilder();
            int k = 1 + rnd.nextInt(rnd.nextInt(8) == 0 ? 6 : 2);
            for (int i = 0; i < k; i++) {
                s.append((char) ('a' + rnd.nextInt(26)));
            }
            d.insert(rnd.nextInt(len + 1), s.toString());
        } else {
            int pos = rnd.nextInt(len);
            d.delete(pos, 1 + rnd.nextInt(Math.min(3, len - pos)));
        }
    }

    private static void shuffleSome(List<TextOp> ops, SplittableRandom rnd) {
        for (int i = ops.size() - 1; i > 0; i--) {
            if (rnd.nextInt(3) == 0) {
                int j = rnd.nextInt(i + 1);
                TextOp t = ops.get(i);
                ops.set(i, ops.get(j));
                ops.set(j, t);
            }
        }
    }
}
