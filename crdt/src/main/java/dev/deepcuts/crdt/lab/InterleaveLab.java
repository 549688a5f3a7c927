package dev.deepcuts.crdt.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import dev.deepcuts.core.Chart;
import dev.deepcuts.core.Lab;
import dev.deepcuts.core.LabContext;
import dev.deepcuts.core.LabResult;
import dev.deepcuts.core.Param;
import dev.deepcuts.core.Table;
import dev.deepcuts.core.UsageException;
import dev.deepcuts.crdt.text.TextDocument;
import dev.deepcuts.crdt.text.VersionVector;

/**
 * Two or three people type a word each at the same spot of a shared text at the same time, then
 * sync: does each word come out whole? Ours (FugueMax-style) against a naive RGA, typing forwards
 * (each key after the previous one) and backwards (each key before the previous one, as when one
 * types in front of a word), then many random trials.
 */
public final class InterleaveLab implements Lab {

    // each replica types from its own alphabet, so every character says who typed it
    private static final String[] ALPHABETS = {"abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", "!#$%&*+=?@^~"};
    private static final String[][] WORDS = {{"hello", "WORLD"}, {"hello", "WORLD", "12345"}};

    @Override
    public String chapter() {
        return "crdt";
    }

    @Override
    public String id() {
        return "interleave";
    }

    @Override
    public String title() {
        return "concurrent typing at one spot: ours keeps each word whole, a naive RGA interleaves backward typing";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.ofInt("trials", 2000, 200, "random trials per direction: 2-4 replicas, words of 2-10 keys, a random spot in a random base text"),
                Param.ofInt("maxReplicas", 4, 4, "most replicas in a random trial (2..4)"));
    }

    /** The outcome of one trial: the merged text for ours and RGA, and into how many pieces the words fell. */
    record Outcome(String ours, String rga, int oursPieces, int rgaPieces) {}

    @Override
    public LabResult run(LabContext ctx) {
        int trials = ctx.intParam("trials");
        int maxReplicas = ctx.intParam("maxReplicas");
        if (trials < 1) {
            throw new UsageException("trials=" + trials + " must be at least 1");
        }
        if (maxReplicas < 2 || maxReplicas > ALPHABETS.length) {
            throw new UsageException("maxReplicas=" + maxReplicas + " must be in [2, " + ALPHABETS.length + "]");
        }
        var b = LabResult.builder();

        var shown = Table.of("The same words typed concurrently between '[' and ']'", "replicas", "typing", "ours", "naive RGA");
        boolean oursWholeShown = true;
        boolean rgaBackwardBroken = true;
        boolean rgaForwardWhole = true;
        for (String[] words : WORDS) {
            for (boolean backward : new boolean[] {false, true}) {
                Outcome o = trial("[]", 1, words, backward);
                shown.row(words.length, backward ? "backward" : "forward", o.ours(), o.rga());
                oursWholeShown &= o.oursPieces() == words.length;
                if (backward) {
                    rgaBackwardBroken &= o.rgaPieces() > words.length;
                } else {
                    rgaForwardWhole &= o.rgaPieces() == words.length;
                }
            }
        }
        b.table(shown);

        SplittableRandom rnd = ctx.random("trials");
        var summary = Table.of(String.format(Locale.ROOT, "%d random trials per direction", trials),
                "typing", "ours: interleaved trials", "ours: mean pieces per word", "RGA: interleaved trials", "RGA: mean pieces per word");
        double[] oursRate = new double[2];
        double[] rgaRate = new double[2];
        try (var progress = ctx.progress("trials", 2L * trials)) {
            for (int dir = 0; dir < 2; dir++) {
                boolean backward = dir == 1;
                int oursBad = 0;
                int rgaBad = 0;
                long oursPieces = 0;
                long rgaPieces = 0;
                long wordsTyped = 0;
                for (int t = 0; t < trials; t++) {
                    int n = 2 + rnd.nextInt(maxReplicas - 1);
                    String[] words = new String[n];
                    for (int r = 0; r < n; r++) {
                        StringBuilder w = new StringBuilder();
                        int len = 2 + rnd.nextInt(9);
                        for (int k = 0; k < len; k++) {
                            w.append(ALPHABETS[r].charAt(rnd.nextInt(ALPHABETS[r].length())));
                        }
                        words[r] = w.toString();
                    }
                    String base = "." .repeat(rnd.nextInt(12));
                    Outcome o = trial(base, rnd.nextInt(base.length() + 1), words, backward);
                    oursBad += o.oursPieces() > n ? 1 : 0;
                    rgaBad += o.rgaPieces() > n ? 1 : 0;
                    oursPieces += o.oursPieces();
                    rgaPieces += o.rgaPieces();
                    wordsTyped += n;
                    progress.step();
                }
                oursRate[dir] = 100.0 * oursBad / trials;
                rgaRate[dir] = 100.0 * rgaBad / trials;
                summary.row(backward ? "backward" : "forward", oursBad, String.format(Locale.ROOT, "%.3f", (double) oursPieces / wordsTyped),
                        rgaBad, String.format(Locale.ROOT, "%.3f", (double) rgaPieces / wordsTyped));
                String key = backward ? "backward" : "forward";
                b.metric("ours_interleaved_" + key, oursBad, "trials");
                b.metric("rga_interleaved_" + key, rgaBad, "trials");
                b.metric("rga_interleaved_" + key + "_pct", rgaRate[dir], "%");
                b.metric("rga_pieces_per_word_" + key, (double) rgaPieces / wordsTyped, "pieces");
            }
        }
        b.table(summary);
        b.metric("trials", trials, "trials");
        var chart = Chart.bar("crdt-interleave", "Trials with a word split apart")
                .yLabel("trials with a word split apart (%)")
                .categories(List.of("typed forwards", "typed backwards"))
                .series("ours (FugueMax-style)", new double[] {0, 1}, oursRate)
                .series("naive RGA", new double[] {0, 1}, rgaRate);
        b.chart(chart);

        b.claim("ours keeps every concurrently typed word whole, forwards and backwards, with 2 and 3 replicas", oursWholeShown);
        b.claim("the naive RGA keeps words typed forwards whole", rgaForwardWhole);
        b.claim("the naive RGA interleaves words typed backwards, with 2 and 3 replicas", rgaBackwardBroken);
        b.claim(String.format(Locale.ROOT, "in %d random trials per direction, ours never splits a word", trials),
                oursRate[0] == 0 && oursRate[1] == 0);
        return b.verdict(String.format(Locale.ROOT,
                "ours: no interleaving in %d trials; naive RGA: %.1f%% of backward trials interleaved, %.1f%% of forward ones",
                2 * trials, rgaRate[1], rgaRate[0])).build();
    }

    // region interleave-trial
    /** Every replica starts from {@code base}, types its word at {@code pos} offline, then all sync. */
    static Outcome trial(String base, int pos, String[] words, boolean backward) {
        int n = words.length;
        TextDocument origin = new TextDocument(0);
        if (!base.isEmpty()) {
            origin.insert(0, base);
        }
        List<TextDocument> ours = new ArrayList<>();
        List<Rga> rgas = new ArrayList<>();
        Rga rgaOrigin = new Rga(0);
        for (int i = 0; i < base.length(); i++) {
            rgaOrigin.insert(i, base.charAt(i));
        }
        for (int r = 0; r < n; r++) {
            TextDocument doc = new TextDocument(r + 1);
            doc.apply(origin.opsSince(VersionVector.empty()));
            Rga rga = new Rga(r + 1);
            rgaOrigin.log().forEach(rga::apply);
            String w = words[r];
            for (int k = 0; k < w.length(); k++) {
                char c = backward ? w.charAt(w.length() - 1 - k) : w.charAt(k);
                int at = backward ? pos : pos + k;
                doc.insert(at, String.valueOf(c));
                rga.insert(at, c);
            }
            ours.add(doc);
            rgas.add(rga);
        }
        for (int to = 0; to < n; to++) {
            for (int from = 0; from < n; from++) {
                ours.get(to).apply(ours.get(from).opsSince(ours.get(to).version()));
                for (Rga.Op op : rgas.get(from).log()) {
                    rgas.get(to).apply(op);
                }
            }
        }
        String o = ours.get(0).text();
        String g = rgas.get(0).text();
        for (int r = 1; r < n; r++) {
            if (!ours.get(r).text().equals(o) || !rgas.get(r).text().equals(g)) {
                throw new IllegalStateException("replicas diverged: " + ours.get(r).text() + " vs " + o);
            }
        }
        return new Outcome(o, g, pieces(o), pieces(g));
    }
    // endregion interleave-trial

    /** How many runs of characters from one alphabet the text holds, ignoring the base text's characters. */
    static int pieces(String text) {
        int pieces = 0;
        int last = -1;
        for (int i = 0; i < text.length(); i++) {
            int who = owner(text.charAt(i));
            if (who >= 0 && who != last) {
                pieces++;
            }
            if (who >= 0) {
                last = who;
            }
        }
        return pieces;
    }

    private static int owner(char c) {
        for (int r = 0; r < ALPHABETS.length; r++) {
            if (ALPHABETS[r].indexOf(c) >= 0) {
                return r;
            }
        }
        return -1;
    }
}
