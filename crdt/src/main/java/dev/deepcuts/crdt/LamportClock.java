package dev.deepcuts.crdt;

/**
 * A Lamport clock: a counter that every event ticks and every received message pushes past the
 * sender's, so that if event a happened before event b, a's timestamp is smaller (Lamport 1978 [1]).
 * The converse does not hold — a smaller timestamp says nothing about causality — which is why
 * {@link VectorClock} exists. Used with a replica id as a tie-breaker, it gives the total order
 * that last-writer-wins registers need.
 *
 * <p>[1] L. Lamport, "Time, Clocks, and the Ordering of Events in a Distributed System", CACM 21(7),
 * 1978, https://doi.org/10.1145/359545.359563
 *
 * <p>Not thread-safe: one per replica, used by its thread.
 */
public final class LamportClock {

    private long time;

    /** The current time. */
    public long time() {
        return time;
    }

    // region lamport
    /** A local event (or a send): advances the clock and returns the event's timestamp. */
    public long tick() {
        return ++time;
    }

    /** A message stamped {@code remote} arrives: the clock moves past it; returns the receive event's timestamp. */
    public long observe(long remote) {
        if (remote < 0) throw new IllegalArgumentException("remote time " + remote + " must not be negative");
        time = Math.max(time, remote) + 1;
        return time;
    }
    // endregion lamport
}
