package dev.deepcuts.sim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ToIntFunction;

/**
 * A simulated message network between named nodes, driven by a {@link Simulation}: every message
 * gets a delay drawn from the {@link NetworkConfig}, may be lost or duplicated, may overtake
 * earlier ones (unless the config is FIFO), and is dropped when a partition separates sender and
 * receiver. All of it is decided by the simulation's seed, so a run replays exactly.
 *
 * <p>Partitions are checked twice: when a message is sent and when it would arrive. A message in
 * flight when a link is cut is lost, as packets in a switch that is unplugged are; one sent before
 * a heal is not resurrected by it.
 *
 * <p>Not thread-safe, like the simulation that drives it.
 *
 * @param <M> the message type
 */
public final class Network<M> {

    /** Receives the messages delivered to one node. */
    @FunctionalInterface
    public interface Handler<M> {
        void receive(Envelope<M> envelope);
    }

    /**
     * One delivery of a message.
     *
     * @param id        the message's number, shared by a message and its duplicates
     * @param from      the sender
     * @param to        the receiver
     * @param message   the payload
     * @param sentAt    virtual time of sending (µs)
     * @param deliverAt virtual time of this delivery (µs)
     * @param duplicate true for the second delivery of a duplicated message
     */
    public record Envelope<M>(long id, String from, String to, M message, long sentAt, long deliverAt, boolean duplicate) {
    }

    /** Counts of what the network did, for labs that compare protocols by messages and bytes. */
    public record Stats(long sent, long delivered, long lost, long duplicated, long droppedByPartition, long bytesSent) {
    }

    private final Simulation sim;
    private final NetworkConfig config;
    private final SplittableRandom random;
    private final ToIntFunction<M> sizeOf;
    private final Map<String, Handler<M>> nodes = new LinkedHashMap<>();
    private final Set<String> cut = new HashSet<>();                 // "from\u0000to" of blocked links
    private final Map<String, Long> lastArrival = new HashMap<>();   // per link, for FIFO
    private final List<String> trace = new ArrayList<>();
    private boolean tracing;
    private long nextId;
    private long sent, delivered, lost, duplicated, droppedByPartition, bytesSent;

    /**
     * A network on {@code sim} with the given faults; {@code sizeOf} gives a message's size in bytes
     * for {@link Stats#bytesSent()} (use {@code m -> 0} if bytes do not matter).
     */
    public Network(Simulation sim, NetworkConfig config, ToIntFunction<M> sizeOf) {
        this.sim = Objects.requireNonNull(sim, "sim");
        this.config = Objects.requireNonNull(config, "config");
        this.sizeOf = Objects.requireNonNull(sizeOf, "sizeOf");
        this.random = sim.newRandom();
    }

    /** Adds a node; its handler is called for every message delivered to it. */
    public void register(String node, Handler<M> handler) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(handler, "handler");
        if (nodes.putIfAbsent(node, handler) != null) throw new IllegalArgumentException("node '" + node + "' is already registered");
    }

    /** The registered nodes, in registration order. */
    public List<String> nodes() {
        return List.copyOf(nodes.keySet());
    }

    /** Records every send, delivery and drop as a line of text (for replay checks and debugging). */
    public void trace(boolean on) {
        this.tracing = on;
    }

    /** The trace so far. */
    public List<String> traceLines() {
        return List.copyOf(trace);
    }

    // region network-send
    /** Sends {@code message}; it arrives later, or never, as the faults decide. */
    public void send(String from, String to, M message) {
        requireNode(from);
        requireNode(to);
        long id = nextId++;
        sent++;
        bytesSent += sizeOf.applyAsInt(message);
        log("send", id, from, to);
        if (isCut(from, to)) {                                 // partitioned now: never leaves
            droppedByPartition++;
            log("drop-partition", id, from, to);
            return;
        }
        if (random.nextDouble() < config.lossRate()) {         // lost on the way
            lost++;
            log("drop-loss", id, from, to);
            return;
        }
        deliverLater(id, from, to, message, false);
        if (random.nextDouble() < config.duplicateRate()) {    // delivered twice
            duplicated++;
            deliverLater(id, from, to, message, true);
        }
    }
    // endregion network-send

    /** Sends {@code message} from {@code from} to every other registered node. */
    public void broadcast(String from, M message) {
        for (String to : nodes.keySet()) if (!to.equals(from)) send(from, to, message);
    }

    /**
     * Splits the nodes into groups that can talk only among themselves. Every registered node must
     * be in exactly one group. Replaces any earlier partition or blocked link.
     */
    @SafeVarargs
    public final void partition(Collection<String>... groups) {
        Map<String, Integer> groupOf = new HashMap<>();
        for (int g = 0; g < groups.length; g++) {
            for (String n : groups[g]) {
                requireNode(n);
                if (groupOf.put(n, g) != null) throw new IllegalArgumentException("node '" + n + "' is in more than one group");
            }
        }
        var missing = new ArrayList<String>();
        for (String n : nodes.keySet()) if (!groupOf.containsKey(n)) missing.add(n);
        if (!missing.isEmpty()) throw new IllegalArgumentException("every node must be in a group; missing: " + missing);
        cut.clear();
        for (String a : nodes.keySet()) {
            for (String b : nodes.keySet()) {
                if (!groupOf.get(a).equals(groupOf.get(b))) cut.add(key(a, b));
            }
        }
        note("partition " + java.util.Arrays.toString(groups));
    }

    /** Cuts both directions between {@code node} and everyone else. */
    public void isolate(String node) {
        requireNode(node);
        for (String other : nodes.keySet()) {
            if (!other.equals(node)) {
                cut.add(key(node, other));
                cut.add(key(other, node));
            }
        }
        note("isolate " + node);
    }

    /** Cuts one direction only: {@code from} can no longer reach {@code to} (an asymmetric fault). */
    public void block(String from, String to) {
        requireNode(from);
        requireNode(to);
        cut.add(key(from, to));
        note("block " + from + "->" + to);
    }

    /** Restores every link. Messages lost to the partition stay lost. */
    public void heal() {
        cut.clear();
        note("heal");
    }

    /** Whether {@code from} can currently reach {@code to}. */
    public boolean connected(String from, String to) {
        return !isCut(from, to);
    }

    public Stats stats() {
        return new Stats(sent, delivered, lost, duplicated, droppedByPartition, bytesSent);
    }

    private void deliverLater(long id, String from, String to, M message, boolean duplicate) {
        long delay = config.minLatencyMicros() == config.maxLatencyMicros() ? config.minLatencyMicros()
                : config.minLatencyMicros() + random.nextLong(config.maxLatencyMicros() - config.minLatencyMicros() + 1);
        long at = sim.now() + delay;
        if (config.fifo()) {                                   // never overtake an earlier message on this link
            String link = key(from, to);
            at = Math.max(at, lastArrival.getOrDefault(link, Long.MIN_VALUE));
            lastArrival.put(link, at);
        }
        long sentAt = sim.now();
        long deliverAt = at;
        sim.schedule(at - sim.now(), () -> {
            if (isCut(from, to)) {                             // the link was cut while in flight
                droppedByPartition++;
                log("drop-partition-in-flight", id, from, to);
                return;
            }
            delivered++;
            log(duplicate ? "deliver-duplicate" : "deliver", id, from, to);
            nodes.get(to).receive(new Envelope<>(id, from, to, message, sentAt, deliverAt, duplicate));
        });
    }

    private boolean isCut(String from, String to) {
        return !cut.isEmpty() && cut.contains(key(from, to));
    }

    private void requireNode(String node) {
        if (!nodes.containsKey(node)) throw new IllegalArgumentException("unknown node '" + node + "'; registered: " + nodes.keySet());
    }

    private void log(String what, long id, String from, String to) {
        if (tracing) trace.add("t=" + sim.now() + " " + what + " #" + id + " " + from + "->" + to);
    }

    private void note(String what) {
        if (tracing) trace.add("t=" + sim.now() + " " + what);
    }

    private static String key(String from, String to) {
        return from + '\u0000' + to;
    }
}
