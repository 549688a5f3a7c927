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
import dev.deepcuts.crdt.CausalBroadcast;
import dev.deepcuts.crdt.OrSet;
import dev.deepcuts.crdt.OrSetCodec;
import dev.deepcuts.crdt.VectorClock;
import dev.deepcuts.sim.Network;
import dev.deepcuts.sim.NetworkConfig;
import dev.deepcuts.sim.Simulation;

/**
 * Replicas of an add-wins set, edited concurrently through a simulated network that loses,
 * duplicates and reorders messages and is cut in two for a while: do they end up equal? Three ways
 * to sync, each run on the same operations and the same faults (the same seed): full-state gossip,
 * deltas plus occasional full-state anti-entropy, and op-based causal broadcast. Counts messages
 * and encoded bytes.
 */
public final class ConvergeLab implements Lab {

    @Override
    public String chapter() {
        return "crdt";
    }

    @Override
    public String id() {
        return "converge";
    }

    @Override
    public String title() {
        return "OR-Set replicas after loss, duplication and a partition: full-state, delta and op-based sync";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.ofInt("replicas", 4, 3, "replicas of the set"),
                Param.ofInt("ops", 2000, 300, "adds and removes, spread over the replicas"),
                Param.ofIntList("elements", List.of(20, 200, 2000), List.of(20, 500),
                        "distinct elements the operations touch, one run per value (it sets how big a full state is)"),
                Param.ofDouble("loss", 0.05, 0.05, "probability that a message is lost"),
                Param.ofDouble("duplication", 0.1, 0.1, "probability that a message is delivered twice"),
                Param.ofBoolean("partition", true, true, "cut the replicas in two halves from 30% to 60% of the run"),
                Param.ofLong("gossipMicros", 20_000, 20_000, "full-state gossip interval per replica (µs)"),
                Param.ofLong("opGapMicros", 1_000, 1_000, "virtual time between two operations (µs)"));
    }

    private enum Strategy {
        STATE("full-state gossip"), DELTA("deltas + anti-entropy"), OP("op-based causal broadcast");

        final String label;

        Strategy(String label) {
            this.label = label;
        }
    }

    private record Outcome(Strategy strategy, long messages, long bytes, boolean converged, int stuck, int elements) {
    }

    @Override
    public LabResult run(LabContext ctx) {
        int n = ctx.intParam("replicas");
        int ops = ctx.intParam("ops");
        List<Integer> sizes = ctx.intListParam("elements");
        double loss = ctx.doubleParam("loss");
        double dup = ctx.doubleParam("duplication");
        boolean partition = ctx.booleanParam("partition");
        long gossip = ctx.longParam("gossipMicros");
        long gap = ctx.longParam("opGapMicros");
        if (n < 2) throw new IllegalArgumentException("replicas=" + n + " must be at least 2");
        if (ops < 1 || gossip < 1 || gap < 1) throw new IllegalArgumentException("ops, gossipMicros and opGapMicros must be positive");
        for (int e : sizes) if (e < 1) throw new IllegalArgumentException("elements " + e + " must be positive");

        var faults = new NetworkConfig(100, 5_000, loss, dup, false);
        var table = Table.of(String.format(Locale.ROOT, "%d replicas, %d operations, %.0f%% loss, %.0f%% duplication, %s",
                n, ops, loss * 100, dup * 100, partition ? "partitioned for 30% of the run" : "no partition"), "elements", "sync", "messages", "bytes", "converged", "ops stuck", "final size");
        double[] xs = new double[sizes.size()];
        double[][] bytes = new double[Strategy.values().length][sizes.size()];
        boolean stateAndDeltaConverge = true;
        boolean opStuckEverywhere = true;
        boolean opConvergesEverywhere = true;
        List<Outcome> smallest = null;
        List<Outcome> largest = null;
        try (var progress = ctx.progress("simulating", (long) sizes.size() * Strategy.values().length)) {
            for (int i = 0; i < sizes.size(); i++) {
                int elements = sizes.get(i);
                xs[i] = elements;
                List<Outcome> outcomes = new ArrayList<>();
                for (Strategy st : Strategy.values()) {
                    Outcome o = simulate(st, ctx.seed(), n, ops, elements, faults, partition, gossip, gap);
                    outcomes.add(o);
                    bytes[st.ordinal()][i] = o.bytes();
                    table.row(elements, st.label, o.messages(), o.bytes(), o.converged() ? "yes" : "NO", o.stuck(), o.elements());
                    progress.step();
                }
                stateAndDeltaConverge &= outcomes.get(0).converged() && outcomes.get(1).converged();
                opStuckEverywhere &= !outcomes.get(2).converged() && outcomes.get(2).stuck() > 0;
                opConvergesEverywhere &= outcomes.get(2).converged();
                if (elements == sizes.stream().mapToInt(Integer::intValue).min().orElseThrow()) smallest = outcomes;
                if (elements == sizes.stream().mapToInt(Integer::intValue).max().orElseThrow()) largest = outcomes;
            }
        }
        var b = LabResult.builder();
        b.table(table);
        b.metric("state_bytes_small", smallest.get(0).bytes(), "bytes");
        b.metric("delta_bytes_small", smallest.get(1).bytes(), "bytes");
        b.metric("state_bytes_large", largest.get(0).bytes(), "bytes");
        b.metric("delta_bytes_large", largest.get(1).bytes(), "bytes");
        b.metric("op_bytes_large", largest.get(2).bytes(), "bytes");
        b.metric("op_stuck_large", largest.get(2).stuck(), "operations");
        var chart = Chart.line("crdt-converge", "Bytes sent to keep " + n + " replicas in sync")
                .xLabel("distinct elements in the set").yLabel("bytes sent (encoded)").logX().logY();
        for (Strategy st : Strategy.values()) chart.series(st.label, xs, bytes[st.ordinal()]);
        b.chart(chart);

        b.claim("full-state gossip and delta sync converge at every set size: every replica holds the same set after the partition heals",
                stateAndDeltaConverge);
        b.claim(String.format(Locale.ROOT, "for a large set (%d elements) deltas send fewer bytes than full states (%d vs %d)",
                (int) xs[xs.length - 1], largest.get(1).bytes(), largest.get(0).bytes()), largest.get(1).bytes() < largest.get(0).bytes());
        b.claim(String.format(Locale.ROOT, "for a small set (%d elements) full-state gossip is the cheaper one (%d vs %d bytes): shipping the whole state pays off when it is tiny",
                (int) xs[0], smallest.get(0).bytes(), smallest.get(1).bytes()), smallest.get(0).bytes() < smallest.get(1).bytes());
        if (loss > 0 || partition) {
            b.claim(String.format(Locale.ROOT, "op-based sync without retransmission cannot recover messages dropped by loss or by the partition: "
                    + "at every size operations wait forever for lost predecessors (%d at the largest)", largest.get(2).stuck()), opStuckEverywhere);
        } else {
            b.claim("on a network that drops nothing, op-based causal broadcast converges too (duplicates are dropped)", opConvergesEverywhere);
        }
        return b.verdict(String.format(Locale.ROOT, "state and delta %s; bytes at %d elements: state %d, delta %d; at %d: state %d, delta %d; op-based %s",
                stateAndDeltaConverge ? "converge" : "DIVERGE", (int) xs[0], smallest.get(0).bytes(), smallest.get(1).bytes(),
                (int) xs[xs.length - 1], largest.get(0).bytes(), largest.get(1).bytes(),
                loss > 0 || partition ? "stuck behind lost messages" : (opConvergesEverywhere ? "converges" : "diverges"))).build();
    }

    // region converge-run
    private static Outcome simulate(Strategy strategy, long seed, int n, int ops, int elements, NetworkConfig faults, boolean partition,
                                    long gossip, long gap) {
        var sim = new Simulation(seed);
        var rnd = new SplittableRandom(seed ^ 0x5EED);          // the same operations for every strategy
        String[] names = new String[n];
        for (int i = 0; i < n; i++) names[i] = "r" + i;
        @SuppressWarnings("unchecked")
        OrSet<Integer>[] replicas = new OrSet[n];
        java.util.Arrays.fill(replicas, OrSet.<Integer>empty());
        long[] bytes = {0};

        Network<byte[]> net = new Network<>(sim, faults, m -> m.length);             // states and deltas, encoded
        Network<CausalBroadcast.Message<byte[]>> opNet =
                new Network<>(sim, faults, m -> m.payload().length + clockBytes(m.clock()));
        List<CausalBroadcast<byte[]>> broadcast = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int me = i;
            net.register(names[i], e -> replicas[me] = replicas[me].join(OrSetCodec.decode(e.message())));
            if (strategy == Strategy.OP) {
                broadcast.add(new CausalBroadcast<>(names[i], opNet, m -> replicas[me] = replicas[me].join(OrSetCodec.decode(m))));
            }
        }
        long end = ops * gap;
        // the faults: the replicas are cut in two halves from 30% to 60% of the run
        Network<?> cut = strategy == Strategy.OP ? opNet : net;
        if (partition) {
            sim.schedule(end * 3 / 10, () -> cut.partition(List.of(names).subList(0, n / 2), List.of(names).subList(n / 2, n)));
            sim.schedule(end * 6 / 10, cut::heal);
        }
        // the operations
        for (int k = 0; k < ops; k++) {
            int r = rnd.nextInt(n);
            int element = rnd.nextInt(elements);
            boolean remove = rnd.nextInt(3) == 0;
            sim.schedule(k * gap, () -> {
                OrSet<Integer> delta = remove ? replicas[r].remove(element) : replicas[r].add(names[r], element);
                switch (strategy) {
                    case STATE -> replicas[r] = replicas[r].join(delta);
                    case DELTA -> {
                        replicas[r] = replicas[r].join(delta);
                        net.broadcast(names[r], OrSetCodec.encode(delta));
                    }
                    case OP -> broadcast.get(r).broadcast(OrSetCodec.encode(delta)); // delivered locally too
                }
            });
        }
        // gossip: full states (every round for STATE, every 10th for DELTA's anti-entropy), until well after the end
        if (strategy != Strategy.OP) {
            long every = strategy == Strategy.STATE ? gossip : 10 * gossip;
            for (long t = every; t <= end + 20 * every; t += every) {
                for (int i = 0; i < n; i++) {
                    int from = i;
                    int to = (i + 1 + rnd.nextInt(n - 1)) % n;
                    sim.schedule(t, () -> net.send(names[from], names[to], OrSetCodec.encode(replicas[from])));
                }
            }
        }
        sim.runUntilIdle(100_000_000);
        // endregion converge-run
        boolean converged = true;
        for (int i = 1; i < n; i++) converged &= replicas[i].elements().equals(replicas[0].elements());
        int stuck = broadcast.stream().mapToInt(CausalBroadcast::buffered).sum();
        var stats = strategy == Strategy.OP ? opNet.stats() : net.stats();
        return new Outcome(strategy, stats.sent(), stats.bytesSent(), converged && stuck == 0, stuck, replicas[0].elements().size());
    }

    /** The bytes of a vector clock in the codec's varint form: per entry, the replica id and its counter. */
    private static int clockBytes(VectorClock clock) {
        int total = 1;
        for (var e : clock.entries().entrySet()) {
            total += 1 + e.getKey().length();
            long v = e.getValue();
            do {
                total++;
                v >>>= 7;
            } while (v != 0);
        }
        return total;
    }
}
