package dev.deepcuts.crdt.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import dev.deepcuts.core.Lab;
import dev.deepcuts.core.LabContext;
import dev.deepcuts.core.LabResult;
import dev.deepcuts.core.Param;
import dev.deepcuts.core.Table;
import dev.deepcuts.core.UsageException;
import dev.deepcuts.crdt.text.TextDocument;
import dev.deepcuts.crdt.text.TextOp;
import dev.deepcuts.crdt.text.VersionVector;
import dev.deepcuts.sim.Network;
import dev.deepcuts.sim.NetworkConfig;
import dev.deepcuts.sim.Simulation;

/**
 * Three people edit a shopping list at the same time, each on their own replica, talking peer to
 * peer through a simulated network that loses messages; one of them is cut off for a while and
 * keeps editing. The lab prints the three documents as the edits spread, diverge and converge:
 * collaborative editing with no central server.
 */
public final class EditorLab implements Lab {

    private static final String[] NAMES = {"alice", "bob", "carol"};

    @Override
    public String chapter() {
        return "crdt";
    }

    @Override
    public String id() {
        return "editor";
    }

    @Override
    public String title() {
        return "three replicas typing concurrently through a lossy network, cut by a partition and healed";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.ofDouble("loss", 0.05, 0.05, "probability that a message is lost"),
                Param.ofLong("keystrokeMillis", 120, 120, "mean time between two keystrokes of one typist (ms)"),
                Param.ofLong("antiEntropyMillis", 400, 400, "how often each replica asks a random peer for what it misses (ms)"),
                Param.ofBoolean("partition", true, true, "cut carol off from 3.5 s to 6.5 s"));
    }

    /** What replicas send each other: new operations, or a version asking for what it lacks. */
    sealed interface Msg {
        record Ops(List<TextOp> ops) implements Msg {}

        record Digest(VersionVector version) implements Msg {}
    }

    /** One person at one replica: a document, a cursor held as an anchor, and what they have broadcast. */
    private static final class Replica {
        final String name;
        final TextDocument doc;
        long cursor = TextOp.NONE;
        VersionVector sent = VersionVector.empty();

        Replica(String name, int agent) {
            this.name = name;
            this.doc = new TextDocument(agent);
        }
    }

    @Override
    public LabResult run(LabContext ctx) {
        double loss = ctx.doubleParam("loss");
        long keyMicros = ctx.longParam("keystrokeMillis") * 1000;
        long aeMicros = ctx.longParam("antiEntropyMillis") * 1000;
        boolean partition = ctx.booleanParam("partition");
        if (loss < 0 || loss >= 1 || keyMicros < 1000 || aeMicros < 1000) {
            throw new UsageException("need 0 <= loss < 1 and keystrokeMillis, antiEntropyMillis >= 1; got loss=" + loss
                    + ", keystrokeMillis=" + keyMicros / 1000 + ", antiEntropyMillis=" + aeMicros / 1000);
        }
        var sim = new Simulation(ctx.seed());
        SplittableRandom rnd = sim.newRandom();
        var net = new Network<Msg>(sim, new NetworkConfig(20_000, 80_000, loss, 0.02, false), EditorLab::sizeOf);
        List<Replica> replicas = new ArrayList<>();
        boolean[] stop = {false};
        for (int i = 0; i < NAMES.length; i++) {
            replicas.add(new Replica(NAMES[i], i + 1));
        }
        // region editor-sync
        for (Replica r : replicas) {
            net.register(r.name, e -> {
                switch (e.message()) {
                    case Msg.Ops(List<TextOp> ops) -> r.doc.apply(ops);      // any order; early ones wait
                    case Msg.Digest(VersionVector theirs) -> {               // anti-entropy, both ways:
                        List<TextOp> missing = r.doc.opsSince(theirs);
                        if (!missing.isEmpty()) {
                            net.send(r.name, e.from(), new Msg.Ops(missing));   // what they lack
                        }
                        if (!r.doc.version().covers(theirs)) {
                            net.send(r.name, e.from(), new Msg.Digest(r.doc.version())); // what we lack
                        }
                    }
                }
            });
            every(sim, aeMicros, rnd.nextLong(aeMicros), stop, () -> {
                Replica peer = replicas.get(rnd.nextInt(replicas.size()));
                if (peer != r) {
                    net.send(r.name, peer.name, new Msg.Digest(r.doc.version()));
                }
            });
        }
        // endregion editor-sync

        Replica alice = replicas.get(0);
        Replica bob = replicas.get(1);
        Replica carol = replicas.get(2);
        var typing = new Typing(sim, net, replicas, rnd, keyMicros);
        typing.type(alice, 200_000, "Groceries\n", Where.END);
        typing.type(alice, 2_000_000, "- milk\n", Where.END);       // three people, one spot, one moment
        typing.type(bob, 2_020_000, "- eggs\n", Where.END);
        typing.type(carol, 2_040_000, "- bread\n", Where.END);
        if (partition) {
            sim.schedule(3_500_000, () -> net.isolate(carol.name));
        }
        typing.type(alice, 3_800_000, " for Saturday", Where.AFTER_TITLE);
        boolean[] carolDeleted = {false};
        sim.schedule(4_000_000, () -> carolDeleted[0] = deleteLine(carol, "- eggs", net, replicas));
        typing.type(carol, 4_300_000, "- coffee\n", Where.END);   // again one spot, one moment
        typing.type(bob, 4_310_000, "- apples\n", Where.END);
        if (partition) {
            sim.schedule(6_500_000, net::heal);
        }

        long[] checkpoints = {1_900_000, 3_400_000, 6_400_000, 6_800_000};
        var table = Table.of("The three documents as the edits spread (⏎ marks a line break)", "time (s)", "event", "alice", "bob", "carol");
        String[] events = {"title typed", "three lines typed at once", partition ? "carol cut off since 3.5 s" : "edits during 3.5-6.5 s",
                partition ? "0.3 s after the heal" : "0.3 s later"};
        Map<Long, List<String>> snapshots = new LinkedHashMap<>();
        boolean divergedDuringPartition = false;
        for (int c = 0; c < checkpoints.length; c++) {
            sim.runUntil(checkpoints[c]);
            List<String> texts = replicas.stream().map(r -> r.doc.text()).toList();
            snapshots.put(checkpoints[c], texts);
            table.row(String.format(Locale.ROOT, "%.1f", checkpoints[c] / 1e6), events[c],
                    show(texts.get(0)), show(texts.get(1)), show(texts.get(2)));
            if (c == 2) {
                divergedDuringPartition = !texts.get(2).equals(texts.get(0)) || !texts.get(2).equals(texts.get(1));
            }
        }
        // then until every replica has everything (or a minute of virtual time, which would be a failure)
        long lastEdit = 6_500_000;
        while (!converged(replicas) && sim.now() < 60_000_000) {
            sim.runFor(10_000);
        }
        stop[0] = true;
        long convergedAt = sim.now();
        String fin = alice.doc.text();
        boolean converged = converged(replicas);
        table.row(String.format(Locale.ROOT, "%.2f", convergedAt / 1e6), converged ? "converged" : "NOT converged after 60 s",
                show(fin), show(bob.doc.text()), show(carol.doc.text()));
        List<String> lines = List.of("Groceries for Saturday\n", "- milk\n", "- bread\n", "- coffee\n", "- apples\n");
        boolean whole = lines.stream().allMatch(fin::contains);
        boolean eggsGone = !fin.contains("eggs");

        var b = LabResult.builder();
        b.table(table);
        var stats = net.stats();
        var traffic = Table.of("Network", "messages sent", "delivered", "lost", "duplicated", "cut by the partition", "bytes");
        traffic.row(stats.sent(), stats.delivered(), stats.lost(), stats.duplicated(), stats.droppedByPartition(), stats.bytesSent());
        b.table(traffic);
        b.metric("messages", stats.sent(), "messages");
        b.metric("lost", stats.lost(), "messages");
        b.metric("cut", stats.droppedByPartition(), "messages");
        b.metric("bytes", stats.bytesSent(), "bytes");
        b.metric("final_chars", fin.length(), "chars");
        b.metric("converged_after_heal_ms", (convergedAt - lastEdit) / 1000.0, "ms");
        b.claim(String.format(Locale.ROOT, "%s every replica comes to show the same text (%.2f s after it): %s",
                partition ? "after the heal" : "once the typing stops", (convergedAt - lastEdit) / 1e6, show(fin)), converged);
        if (partition) {
            b.claim("while carol was cut off her document differed from the others (she kept editing: available, not consistent)",
                    divergedDuringPartition);
        }
        b.claim("every line typed concurrently appears whole in the final text, none interleaved with another", whole);
        if (carolDeleted[0]) {
            b.claim("the line carol deleted" + (partition ? " while cut off" : "") + " stays deleted after the merge", eggsGone);
        } else {
            ctx.log("carol never saw the eggs line before she meant to delete it (messages lost): nothing to delete");
        }
        return b.verdict(String.format(Locale.ROOT, "%s after %d messages (%d lost, %d cut by the partition): %s",
                converged ? "converged" : "DIVERGED", stats.sent(), stats.lost(), stats.droppedByPartition(), show(fin))).build();
    }

    private enum Where { END, AFTER_TITLE }

    /** Schedules keystrokes: one character at a time at the typist's cursor, each broadcast at once. */
    private record Typing(Simulation sim, Network<Msg> net, List<Replica> replicas, SplittableRandom rnd, long keyMicros) {
        void type(Replica r, long start, String text, Where where) {
            sim.schedule(start, () -> {
                String now = r.doc.text();
                int pos = where == Where.END ? now.length() : Math.max(0, now.indexOf('\n'));
                r.cursor = r.doc.anchorAt(pos);
            });
            long t = start;
            for (int i = 0; i < text.length(); i++) {
                t += keyMicros / 2 + rnd.nextLong(keyMicros);
                String key = String.valueOf(text.charAt(i));
                sim.schedule(t, () -> {
                    // region editor-keystroke
                    int pos = r.doc.positionOf(r.cursor);   // where the cursor is now, after remote edits
                    r.doc.insert(pos, key);
                    r.cursor = r.doc.anchorAt(pos + 1);
                    broadcast(r, net, replicas);
                    // endregion editor-keystroke
                });
            }
        }
    }

    /** Deletes the line starting with {@code start}, with its line break, if this replica has it; true if it did. */
    private static boolean deleteLine(Replica r, String start, Network<Msg> net, List<Replica> replicas) {
        String text = r.doc.text();
        int at = text.indexOf(start);
        if (at < 0) {
            return false;
        }
        int end = text.indexOf('\n', at);
        r.doc.delete(at, (end < 0 ? text.length() : end + 1) - at);
        broadcast(r, net, replicas);
        return true;
    }

    private static void broadcast(Replica r, Network<Msg> net, List<Replica> replicas) {
        List<TextOp> fresh = r.doc.opsSince(r.sent);
        r.sent = r.doc.version();
        for (Replica peer : replicas) {
            if (peer != r) {
                net.send(r.name, peer.name, new Msg.Ops(fresh));
            }
        }
    }

    private static boolean converged(List<Replica> replicas) {
        Replica first = replicas.get(0);
        return replicas.stream().allMatch(r -> r.doc.pending() == 0 && r.doc.version().equals(first.doc.version())
                && r.doc.text().equals(first.doc.text()));
    }

    private static void every(Simulation sim, long period, long first, boolean[] stop, Runnable action) {
        sim.schedule(first, new Runnable() {
            @Override
            public void run() {
                action.run();
                if (!stop[0]) {
                    sim.schedule(period, this);
                }
            }
        });
    }

    /** Bytes on the wire, roughly: 16 per operation header plus its text; 4 per version entry. */
    private static int sizeOf(Msg m) {
        return switch (m) {
            case Msg.Ops(List<TextOp> ops) -> ops.stream()
                    .mapToInt(op -> 16 + (op instanceof TextOp.Insert ins ? ins.text().length() : 0)).sum();
            case Msg.Digest(VersionVector v) -> 4 * 4;
        };
    }

    private static String show(String text) {
        return text.replace("\n", "⏎");
    }
}
