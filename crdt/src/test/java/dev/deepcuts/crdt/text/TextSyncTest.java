package dev.deepcuts.crdt.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What replicas of a TextDocument need from each other, and what they refuse. */
class TextSyncTest {

    private static TextDocument shared(String base, int... agents) {
        TextDocument first = new TextDocument(agents[0]);
        first.insert(0, base);
        return first;
    }

    private static TextDocument copyOf(TextDocument from, int agent) {
        TextDocument d = new TextDocument(agent);
        d.apply(from.opsSince(VersionVector.empty()));
        return d;
    }

    /** Each replica types its word at {@code pos} one key at a time, forwards or backwards (cursor never moves). */
    private static String typeConcurrently(String base, int pos, boolean backwards, String... words) {
        TextDocument origin = shared(base, 0);
        List<TextDocument> docs = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            TextDocument d = copyOf(origin, i + 1);
            String w = words[i];
            for (int k = 0; k < w.length(); k++) {
                if (backwards) {
                    d.insert(pos, String.valueOf(w.charAt(w.length() - 1 - k)));
                } else {
                    d.insert(pos + k, String.valueOf(w.charAt(k)));
                }
            }
            assertThat(d.text()).isEqualTo(base.substring(0, pos) + w + base.substring(pos));
            docs.add(d);
        }
        for (TextDocument to : docs) {
            for (TextDocument from : docs) {
                to.apply(from.opsSince(to.version()));
            }
        }
        for (TextDocument d : docs) {
            assertThat(d.text()).isEqualTo(docs.get(0).text());
        }
        return docs.get(0).text();
    }

    @Test
    void concurrentForwardTypingDoesNotInterleave() {
        assertThat(typeConcurrently("[]", 1, false, "hello", "world")).isIn("[helloworld]", "[worldhello]");
        assertThat(typeConcurrently("[]", 1, false, "abc", "xyz", "123"))
                .matches("\\[(abc|xyz|123)(abc|xyz|123)(abc|xyz|123)\\]").contains("abc", "xyz", "123");
    }

    @Test
    void concurrentBackwardTypingDoesNotInterleave() {
        assertThat(typeConcurrently("[]", 1, true, "hello", "world")).isIn("[helloworld]", "[worldhello]");
        assertThat(typeConcurrently("[]", 1, true, "abc", "xyz", "123")).contains("abc", "xyz", "123");
    }

    @Test
    void anOperationFromTheFutureWaitsForItsCause() {
        TextDocument a = new TextDocument(1);
        a.insert(0, "hello");
        List<TextOp> first = a.opsSince(VersionVector.empty());
        a.insert(5, " world");
        List<TextOp> second = a.opsSince(new TextDocument(9).version().merge(versionAfter(first)));
        TextDocument b = new TextDocument(2);
        assertThat(b.apply(second)).isZero();
        assertThat(b.pending()).isEqualTo(1);
        assertThat(b.text()).as("nothing applied early").isEmpty();
        assertThat(b.apply(first)).isEqualTo(2);
        assertThat(b.pending()).isZero();
        assertThat(b.text()).isEqualTo("hello world");
    }

    private static VersionVector versionAfter(List<TextOp> ops) {
        TextDocument d = new TextDocument(0);
        d.apply(ops);
        return d.version();
    }

    @Test
    void duplicatesAndOverlapsApplyOnce() {
        TextDocument a = new TextDocument(1);
        a.insert(0, "abc");
        TextDocument b = new TextDocument(2);
        b.apply(a.opsSince(VersionVector.empty()));
        a.insert(3, "def");
        a.delete(0, 1);
        List<TextOp> all = a.opsSince(VersionVector.empty());
        b.apply(all);
        b.apply(all);
        assertThat(b.text()).isEqualTo("bcdef");
        assertThat(b.version()).isEqualTo(a.version());
    }

    @Test
    void concurrentDeleteOfTheSameCharacterDeletesItOnce() {
        TextDocument a = new TextDocument(1);
        a.insert(0, "abc");
        TextDocument b = copyOf(a, 2);
        a.delete(1, 1);
        b.delete(1, 1);
        a.apply(b.opsSince(a.version()));
        b.apply(a.opsSince(b.version()));
        assertThat(a.text()).isEqualTo("ac").isEqualTo(b.text());
    }

    @Test
    void insertIntoTextDeletedConcurrentlySurvives() {
        TextDocument a = new TextDocument(1);
        a.insert(0, "hello world");
        TextDocument b = copyOf(a, 2);
        a.delete(0, 6);               // "world"
        b.insert(5, ",");             // "hello, world"
        a.apply(b.opsSince(a.version()));
        b.apply(a.opsSince(b.version()));
        assertThat(a.text()).isEqualTo(",world").isEqualTo(b.text());
    }

    @Test
    void anOperationNamingADeletionInsteadOfACharacterIsRefused() {
        TextDocument a = new TextDocument(1);
        a.insert(0, "ab");
        a.delete(0, 1); // seq 2 is a deletion
        TextDocument b = copyOf(a, 2);
        long deletionId = TextOp.id(1, 2);
        assertThatThrownBy(() -> b.apply(new TextOp.Insert(3, 0, deletionId, TextOp.NONE, "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1:2").hasMessageContaining("deletion");
    }

    @Test
    void anAnchorFollowsItsCharacterThroughRemoteEdits() {
        TextDocument a = new TextDocument(1);
        a.insert(0, "hello world");
        TextDocument b = copyOf(a, 2);
        long cursor = a.anchorAt(5); // after "hello"
        b.insert(0, ">> ");
        b.delete(9, 2); // "wo"
        a.apply(b.opsSince(a.version()));
        assertThat(a.text()).isEqualTo(">> hello rld");
        assertThat(a.positionOf(cursor)).isEqualTo(8);
        assertThat(a.positionOf(a.anchorAt(0))).isZero();
        a.delete(7, 1); // the 'o' the anchor names
        assertThat(a.positionOf(cursor)).isEqualTo(7);
    }
}
