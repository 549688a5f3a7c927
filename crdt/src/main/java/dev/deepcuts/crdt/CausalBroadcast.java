package dev.deepcuts.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import dev.deepcuts.sim.Network;

/**
 * Causal broadcast for one replica: every message is delivered to every replica exactly once, and
 * never before the messages its sender had delivered when it sent it. Operation-based CRDTs need
 * exactly this from the network — their operations commute only when concurrent, and applying one
 * twice counts it twice — where state-based CRDTs need nothing but eventual delivery.
 *
 * <p>How: each message carries its sender's vector clock. A receiver delivers a message from s
 * when it is the next one from s (its entry for s is one past what was delivered from s) and the
 * receiver has delivered everything else the message depends on; it buffers the message until
 * then, and drops any message it has already delivered (Birman, Schiper, Stephenson [1]). It does
 * not retransmit: over a lossy network, a lost message blocks everything that depends on it, which
 * is the point a lab makes — op-based replication needs a reliable channel underneath.
 *
 * <p>[1] K. Birman, A. Schiper, P. Stephenson, "Lightweight Causal and Atomic Group Multicast",
 * ACM TOCS 9(3), 1991, https://doi.org/10.1145/128738.128742
 *
 * @param <M> the payload type
 */
public final class CausalBroadcast<M> {

    /**
     * What travels on the network.
     *
     * @param sender  the broadcasting replica
     * @param clock   the sender's vector clock, with this message counted
     * @param payload the operation
     */
    public record Message<M>(String sender, VectorClock clock, M payload) {
    }

    private final String self;
    private final Network<Message<M>> network;
    private final Consumer<M> deliver;
    private final List<Message<M>> buffer = new ArrayList<>();
    private VectorClock delivered = VectorClock.empty();
    private long duplicatesDropped;

    /**
     * Joins {@code network} as {@code self}; {@code deliver} is called once per message, in causal
     * order, including for this replica's own broadcasts.
     */
    public CausalBroadcast(String self, Network<Message<M>> network, Consumer<M> deliver) {
        this.self = Objects.requireNonNull(self, "self");
        this.network = Objects.requireNonNull(network, "network");
        this.deliver = Objects.requireNonNull(deliver, "deliver");
        network.register(self, envelope -> receive(envelope.message()));
    }

    // region broadcast
    /** Sends {@code payload} to every replica and delivers it here at once. */
    public void broadcast(M payload) {
        VectorClock clock = delivered.increment(self);
        var message = new Message<>(self, clock, payload);
        delivered = clock;
        deliver.accept(payload);
        network.broadcast(self, message);
    }
    // endregion broadcast

    // region causal-delivery
    private void receive(Message<M> m) {
        long seq = m.clock().get(m.sender());
        if (seq <= delivered.get(m.sender())
                || buffer.stream().anyMatch(b -> b.sender().equals(m.sender()) && b.clock().get(b.sender()) == seq)) {
            duplicatesDropped++;                       // delivered before, or already waiting: exactly once
            return;
        }
        buffer.add(m);
        boolean progress = true;
        while (progress) {                             // deliver everything that has become ready
            progress = false;
            for (var it = buffer.iterator(); it.hasNext(); ) {
                Message<M> b = it.next();
                if (b.clock().get(b.sender()) <= delivered.get(b.sender())) {
                    it.remove();                       // a duplicate that was waiting in the buffer
                    duplicatesDropped++;
                } else if (ready(b)) {
                    it.remove();
                    delivered = delivered.merge(b.clock());
                    deliver.accept(b.payload());
                    progress = true;
                }
            }
        }
    }

    /** The next message from its sender, and everything it depends on from others already delivered. */
    private boolean ready(Message<M> m) {
        for (var e : m.clock().entries().entrySet()) {
            long have = delivered.get(e.getKey());
            if (e.getKey().equals(m.sender()) ? e.getValue() != have + 1 : e.getValue() > have) return false;
        }
        return true;
    }
    // endregion causal-delivery

    /** Messages waiting for their causal predecessors. */
    public int buffered() {
        return buffer.size();
    }

    /** Duplicates received and dropped. */
    public long duplicatesDropped() {
        return duplicatesDropped;
    }

    /** What this replica has delivered. */
    public VectorClock delivered() {
        return delivered;
    }
}
