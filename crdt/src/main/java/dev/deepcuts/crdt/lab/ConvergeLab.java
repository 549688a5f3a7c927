package dev.deepcuts.crdt.lab;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.BinaryOperator;
import java.util.function.Function;

import dev.deepcuts.core.Chart;
import dev.deepcuts.core.Lab;
import dev.deepcuts.core.LabContext;
import dev.deepcuts.core.LabResult;
import dev.deepcuts.core.Param;
import dev.deepcuts.core.Table;
import dev.deepcuts.core.UsageException;
import dev.deepcuts.crdt.CausalBroadcast;
import dev.deepcuts.crdt.EmbeddedCounter;
import dev.deepcuts.crdt.EmbeddedMvRegister;
import dev.deepcuts.crdt.EmbeddedOrMap;
import dev.deepcuts.crdt.EmbeddedOrSet;
import dev.deepcuts.crdt.GCounter;
import dev.deepcuts.crdt.GSet;
import dev.deepcuts.crdt.LwwRegister;
import dev.deepcuts.crdt.MvRegister;
import dev.deepcuts.crdt.OrMap;
import dev.deepcuts.crdt.OrSet;
import dev.deepcuts.crdt.OrSetCodec;
import dev.deepcuts.crdt.PNCounter;
import dev.deepcuts.crdt.TwoPhaseSet;
import dev.deepcuts.crdt.VectorClock;
import dev.deepcuts.crdt.WireSize;
import dev.deepcuts.sim.Network;
import dev.deepcuts.sim.NetworkConfig;
import dev.deepcuts.sim.Simulation;

/**
 * Replicas of an add-wins set, edited concurrently through a simulated network that loses,
 * duplicates and reorders messages and is cut in two for a while: do they end up equal? Three ways
 * to sync, each run on the same operations and the same faults (the same seed): full-state gossip,
 * deltas plus occasional full-state anti-entropy, and op-based causal broadcast. Counts messages
 * and encoded bytes.
 *
 * <p>Then every state-based CRDT of the chapter — G-Counter, PN-Counter, LWW and multi-value
 * registers, G-Set, 2P-Set, OR-Set and OR-Maps of sets, registers and nested maps of counters —
 * goes through the same faults with deltas plus anti-entropy, and the lab checks that every
 * replica holds the same state once the partition has healed. Bytes are measured for every type by
 * one yardstick, {@link WireSize} (the OR-Set codec's conventions).
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
        return "CRDT replicas after loss, duplication and a partition: full-state, delta and op-based sync of an OR-Set, then every type";
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
                Param.ofLong("opGapMicros", 1_000, 1_000, "virtual time between two operations (µs)"),
                Param.ofInt("typeElements", 50, 20, "distinct elements, values or keys that the operations of the every-type runs touch"));
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

    /**
     * One CRDT type driven through the faulty network: its empty state, the delta of a random
     * operation at a replica, its join, and a short description of a state.
     */
    private record Subject<S>(String name, S empty, Operation<S> operation, BinaryOperator<S> join, Function<S, String> describe) {
    }

    @FunctionalInterface
    private interface Operation<S> {
        S delta(S state, String replica, SplittableRandom rnd);
    }

    private record TypeOutcome(String type, long messages, long bytes, String apartAtHeal, boolean converged, String finalState) {
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
        if (n < 2) throw new UsageException("replicas=" + n + " must be at least 2");
        if (ops < 1 || gossip < 1 || gap < 1) throw new UsageException("ops, gossipMicros and opGapMicros must be positive");
        for (int e : sizes) if (e < 1) throw new UsageException("elements " + e + " must be positive");
        int typeElements = ctx.intParam("typeElements");
        if (typeElements < 1) throw new UsageException("typeElements=" + typeElements + " must be positive");
        List<Subject<?>> subjects = subjects(typeElements);

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
        List<TypeOutcome> types = new ArrayList<>();
        try (var progress = ctx.progress("simulating", (long) sizes.size() * Strategy.values().length + subjects.size())) {
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
            for (Subject<?> subject : subjects) {
                types.add(simulateType(subject, ctx.seed(), n, ops, faults, partition, gossip, gap));
                progress.step();
            }
        }
        var typeTable = Table.of(String.format(Locale.ROOT, "every state-based CRDT, deltas + anti-entropy through the same faults (%d distinct elements or keys)",
                typeElements), "type", "replicas", "ops", "messages", "bytes", "apart at heal", "converged", "final state");
        for (TypeOutcome t : types) {
            typeTable.row(t.type(), n, ops, t.messages(), t.bytes(), t.apartAtHeal(), t.converged() ? "yes" : "NO", t.finalState());
        }
        long typesConverged = types.stream().filter(TypeOutcome::converged).count();
        var b = LabResult.builder();
        b.table(table);
        b.table(typeTable);
        b.metric("state_bytes_small", smallest.get(0).bytes(), "bytes");
        b.metric("delta_bytes_small", smallest.get(1).bytes(), "bytes");
        b.metric("state_bytes_large", largest.get(0).bytes(), "bytes");
        b.metric("delta_bytes_large", largest.get(1).bytes(), "bytes");
        b.metric("op_bytes_large", largest.get(2).bytes(), "bytes");
        b.metric("op_stuck_large", largest.get(2).stuck(), "operations");
        b.metric("types_total", types.size(), "types");
        b.metric("types_converged", typesConverged, "types");
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
        String through = String.format(Locale.ROOT, "%.0f%% loss, %.0f%% duplication, reordering%s", loss * 100, dup * 100, partition ? " and a partition" : "");
        for (TypeOutcome t : types) {
            b.claim(String.format(Locale.ROOT, "%s: all %d replicas hold the same state %s (%d operations, deltas + anti-entropy through %s)",
                    t.type(), n, partition ? "after the heal" : "at the end", ops, through), t.converged());
        }
        List<String> diverged = types.stream().filter(t -> !t.converged()).map(TypeOutcome::type).toList();
        return b.verdict(String.format(Locale.ROOT, "state and delta %s; bytes at %d elements: state %d, delta %d; at %d: state %d, delta %d; op-based %s; %s",
                stateAndDeltaConverge ? "converge" : "DIVERGE", (int) xs[0], smallest.get(0).bytes(), smallest.get(1).bytes(),
                (int) xs[xs.length - 1], largest.get(0).bytes(), largest.get(1).bytes(),
                loss > 0 || partition ? "stuck behind lost messages" : (opConvergesEverywhere ? "converges" : "diverges"),
                diverged.isEmpty() ? "every type converges (" + typesConverged + "/" + types.size() + ")" : "DIVERGED: " + String.join(", ", diverged))).build();
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

    /** Every state-based type of the chapter, with random operations over {@code elements} distinct elements, values or keys. */
    private static List<Subject<?>> subjects(int elements) {
        int keys = Math.max(2, elements / 4);
        return List.of(
                new Subject<>("GCounter", GCounter.zero(), (s, r, rnd) -> s.increment(r, 1 + rnd.nextInt(5)), GCounter::join,
                        s -> "value " + s.value()),
                new Subject<>("PNCounter", PNCounter.zero(), (s, r, rnd) -> s.add(r, rnd.nextInt(11) - 5), PNCounter::join,
                        s -> "value " + s.value()),
                // the timestamp: one past the highest this replica has seen, a Lamport clock kept in the register itself
                new Subject<LwwRegister<Integer>>("LwwRegister", LwwRegister.empty(), (s, r, rnd) -> s.assign(rnd.nextInt(elements), s.timestamp() + 1, r),
                        LwwRegister::join, s -> "value " + s.value()),
                new Subject<MvRegister<Integer>>("MvRegister", MvRegister.empty(), (s, r, rnd) -> s.assign(r, rnd.nextInt(elements)), MvRegister::join,
                        s -> "values " + new TreeSet<>(s.values())),
                new Subject<GSet<Integer>>("GSet", GSet.empty(), (s, r, rnd) -> s.add(rnd.nextInt(elements)), GSet::join,
                        s -> s.elements().size() + " elements"),
                new Subject<TwoPhaseSet<Integer>>("TwoPhaseSet", TwoPhaseSet.empty(), (s, r, rnd) -> {
                    int e = rnd.nextInt(elements);
                    return rnd.nextInt(10) == 0 && s.contains(e) ? s.remove(e) : s.add(e);      // only what it has seen added
                }, TwoPhaseSet::join, s -> s.added().elements().stream().filter(s::contains).count() + " elements"),
                new Subject<OrSet<Integer>>("OrSet", OrSet.empty(), (s, r, rnd) -> {
                    int e = rnd.nextInt(elements);
                    return rnd.nextInt(3) == 0 ? s.remove(e) : s.add(r, e);
                }, OrSet::join, s -> s.elements().size() + " elements"),
                new Subject<OrMap<Integer, EmbeddedOrSet<Integer>>>("OrMap of OR-Sets", OrMap.empty(EmbeddedOrSet.empty()), (s, r, rnd) -> {
                    int k = rnd.nextInt(keys);
                    int e = rnd.nextInt(elements);
                    return switch (rnd.nextInt(10)) {
                        case 0 -> s.remove(k);
                        case 1, 2, 3 -> s.update(r, k, EmbeddedOrSet.remove(e));
                        default -> s.update(r, k, EmbeddedOrSet.add(e));
                    };
                }, OrMap::join, s -> s.keys().size() + " keys, " + s.entries().values().stream().mapToInt(v -> v.elements().size()).sum() + " elements"),
                new Subject<OrMap<Integer, EmbeddedMvRegister<Integer>>>("OrMap of MV-Registers", OrMap.empty(EmbeddedMvRegister.empty()), (s, r, rnd) -> {
                    int k = rnd.nextInt(keys);
                    int v = rnd.nextInt(elements);
                    return rnd.nextInt(8) == 0 ? s.remove(k) : s.update(r, k, EmbeddedMvRegister.assign(v));
                }, OrMap::join, s -> s.keys().size() + " keys, " + s.entries().values().stream().mapToInt(v -> v.values().size()).sum() + " values"),
                new Subject<OrMap<Integer, EmbeddedOrMap<Integer, EmbeddedCounter>>>("OrMap of OrMaps of counters",
                        OrMap.empty(EmbeddedOrMap.empty(EmbeddedCounter.empty())), (s, r, rnd) -> {
                    int k = rnd.nextInt(keys);
                    int field = rnd.nextInt(keys);
                    return switch (rnd.nextInt(12)) {
                        case 0 -> s.remove(k);
                        case 1 -> s.update(r, k, EmbeddedOrMap.remove(field));
                        default -> s.update(r, k, EmbeddedOrMap.update(field, EmbeddedCounter.add(rnd.nextInt(8) - 2)));
                    };
                }, OrMap::join, s -> s.keys().size() + " keys, " + s.entries().values().stream().mapToInt(v -> v.keys().size()).sum() + " counters"));
    }

    // region converge-every-type
    /**
     * Replicas of one type through the faulty network: every operation's delta is broadcast, and
     * every replica pushes its full state to a random peer now and then (anti-entropy), until well
     * after the partition has healed. Then: is every replica's state the same?
     */
    private static <S> TypeOutcome simulateType(Subject<S> type, long seed, int n, int ops, NetworkConfig faults, boolean partition,
                                                long gossip, long gap) {
        var sim = new Simulation(seed);
        var opsRnd = new SplittableRandom(seed ^ 0x5EED);
        var peersRnd = new SplittableRandom(seed ^ 0xA17E);
        String[] names = new String[n];
        for (int i = 0; i < n; i++) names[i] = "r" + i;
        List<S> replicas = new ArrayList<>(Collections.nCopies(n, type.empty()));
        Network<S> net = new Network<>(sim, faults, WireSize::of);               // every type measured by one yardstick
        for (int i = 0; i < n; i++) {
            int me = i;
            net.register(names[i], e -> replicas.set(me, type.join().apply(replicas.get(me), e.message())));
        }
        long end = ops * gap;
        String[] apartAtHeal = {"-"};
        if (partition) {
            sim.schedule(end * 3 / 10, () -> net.partition(List.of(names).subList(0, n / 2), List.of(names).subList(n / 2, n)));
            sim.schedule(end * 6 / 10, () -> {
                apartAtHeal[0] = allEqual(replicas) ? "no" : "yes";
                net.heal();
            });
        }
        for (int k = 0; k < ops; k++) {
            int r = opsRnd.nextInt(n);
            var rnd = opsRnd.split();                                              // this operation's own draws
            sim.schedule(k * gap, () -> {
                S delta = type.operation().delta(replicas.get(r), names[r], rnd);
                replicas.set(r, type.join().apply(replicas.get(r), delta));
                net.broadcast(names[r], delta);
            });
        }
        long every = 10 * gossip;
        for (long t = every; t <= end + 20 * every; t += every) {
            for (int i = 0; i < n; i++) {
                int from = i;
                int to = (i + 1 + peersRnd.nextInt(n - 1)) % n;
                sim.schedule(t, () -> net.send(names[from], names[to], replicas.get(from)));
            }
        }
        sim.runUntilIdle(100_000_000);
        var stats = net.stats();
        return new TypeOutcome(type.name(), stats.sent(), stats.bytesSent(), apartAtHeal[0], allEqual(replicas), type.describe().apply(replicas.get(0)));
    }
    // endregion converge-every-type

    private static boolean allEqual(List<?> replicas) {
        for (Object r : replicas) if (!r.equals(replicas.get(0))) return false;
        return true;
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
