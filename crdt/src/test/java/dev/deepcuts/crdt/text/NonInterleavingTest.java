package dev.deepcuts.crdt.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A case that separates FugueMax from YATA, the rule of Yjs (Gentle's reference-crdts,
 * test {@code withTails2}): text typed around a character, on both sides, by two groups of people
 * at once. FugueMax keeps each group's text together; YATA's tie-break by agent number can pull
 * one group's left tail away from the rest. Chapter 1, exercise 5, swaps in YATA's rule and watches
 * this test fail.
 */
class NonInterleavingTest {

    @Test
    void textTypedAroundACharacterStaysWithIt() {
        TextDocument a = new TextDocument(2);
        a.insert(0, "a");
        a.insert(0, "x");   // before a
        a.insert(2, "y");   // after a: "xay"
        TextDocument b = new TextDocument(3);
        b.insert(0, "b");
        TextDocument c = new TextDocument(1);
        c.apply(b.opsSince(VersionVector.empty()));
        c.insert(0, "P");   // c, having seen b, types before it
        b.insert(1, "Q");   // b, meanwhile, types after it: "PbQ" is one group's text
        List<TextDocument> all = List.of(a, b, c);
        for (int round = 0; round < 2; round++) {
            for (TextDocument to : all) {
                for (TextDocument from : all) {
                    to.apply(from.opsSince(to.version()));
                }
            }
        }
        for (TextDocument d : all) {
            assertThat(d.text()).as("replica %d", d.agent()).isIn("xayPbQ", "PbQxay");
        }
    }
}
