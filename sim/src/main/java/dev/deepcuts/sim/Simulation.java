package dev.deepcuts.sim;

import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A deterministic discrete-event simulation: a virtual clock, a queue of scheduled events, and one
 * seeded random generator that every simulated component draws from. Given the same seed and the
 * same code, a run makes the same decisions in the same order, so a failure found with seed
 * {@code s} is replayed by running seed {@code s} again.
 *
 * <p>Time is a {@code long} count of virtual microseconds that only moves when the simulation
 * takes the next event; nothing here reads the wall clock or starts a thread. Events due at the
 * same instant run in the order they were scheduled.
 *
 * <p>Not thread-safe: a simulation is driven by one thread, which is what makes it repeatable.
 */
public final class Simulation {

    /*
     * How it works and why. The queue orders events by (due time, sequence number); the sequence
     * number breaks ties by scheduling order, so two events due at the same microsecond never run
     * in an order that depends on a hash code or a heap's internals. Randomness comes from one
     * SplittableRandom seeded once; components that want their own stream split it when they are
     * created, in a fixed order, so adding draws in one component does not shift another's.
     * This is the shape of FoundationDB's and TigerBeetle's simulators [1][2], reduced to a
     * library a chapter can read in one sitting.
     *
     * [1] FoundationDB, "Simulation and Testing", https://apple.github.io/foundationdb/testing.html
     * [2] TigerBeetle, "Simulation testing" (the VOPR), https://github.com/tigerbeetle/tigerbeetle/blob/main/docs/internals/vopr.md
     */

    private final long seed;
    private final SplittableRandom random;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now;
    private long sequence;
    private long executed;

    /** A new simulation at time 0 whose randomness is fixed by {@code seed}. */
    public Simulation(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** The seed that replays this run. */
    public long seed() {
        return seed;
    }

    /** The current virtual time in microseconds. */
    public long now() {
        return now;
    }

    /** Events run so far. */
    public long executed() {
        return executed;
    }

    /** Events waiting. */
    public int pending() {
        return queue.size();
    }

    /**
     * An independent random stream for one component, split from the simulation's generator.
     * Create components in a fixed order so each gets the same stream on every run.
     */
    public SplittableRandom newRandom() {
        return random.split();
    }

    /**
     * Runs {@code action} after {@code delayMicros} of virtual time.
     *
     * @return a handle that can cancel the event before it runs
     * @throws IllegalArgumentException if the delay is negative
     */
    public Timer schedule(long delayMicros, Runnable action) {
        if (delayMicros < 0) {
            throw new IllegalArgumentException("delay " + delayMicros + " µs is negative: events cannot be scheduled in the past");
        }
        Objects.requireNonNull(action, "action");
        var event = new Event(Math.addExact(now, delayMicros), sequence++, action);
        queue.add(event);
        return event;
    }

    /** Runs the next event, advancing the clock to its time; false when nothing is scheduled. */
    public boolean step() {
        Event e;
        do {
            e = queue.poll();
            if (e == null) return false;
        } while (e.cancelled);
        assert e.due >= now : "time went backwards: " + e.due + " < " + now;
        now = e.due;
        executed++;
        e.action.run();
        return true;
    }

    /**
     * Runs events until none is left or {@code maxEvents} have run.
     *
     * @return the number of events run
     * @throws IllegalStateException if events remain after {@code maxEvents} (a livelock, or a
     *     periodic timer that never stops); the message names the seed
     */
    public long runUntilIdle(long maxEvents) {
        long ran = 0;
        while (ran < maxEvents && step()) ran++;
        if (hasLiveEvents()) {
            throw new IllegalStateException("simulation (seed " + seed + ") still had " + queue.size()
                    + " events after " + maxEvents + " at t=" + now + " µs");
        }
        return ran;
    }

    /** Runs every event due at or before {@code time}, then sets the clock to {@code time}. */
    public void runUntil(long time) {
        if (time < now) throw new IllegalArgumentException("time " + time + " µs is before now (" + now + " µs)");
        while (true) {
            Event next = peekLive();
            if (next == null || next.due > time) break;
            step();
        }
        now = time;
    }

    /** Runs for {@code micros} of virtual time from now. */
    public void runFor(long micros) {
        runUntil(Math.addExact(now, micros));
    }

    private boolean hasLiveEvents() {
        return peekLive() != null;
    }

    private Event peekLive() {
        Event e = queue.peek();
        while (e != null && e.cancelled) {
            queue.poll();
            e = queue.peek();
        }
        return e;
    }

    @Override
    public String toString() {
        return "Simulation[seed=" + seed + ", t=" + now + " µs, pending=" + queue.size() + "]";
    }

    /** A scheduled event that can be cancelled before it runs. */
    public interface Timer {
        /** Stops the event from running; no effect if it already ran. */
        void cancel();

        /** The virtual time it is (or was) due. */
        long due();
    }

    private static final class Event implements Comparable<Event>, Timer {
        final long due;
        final long seq;
        final Runnable action;
        boolean cancelled;

        Event(long due, long seq, Runnable action) {
            this.due = due;
            this.seq = seq;
            this.action = action;
        }

        @Override
        public int compareTo(Event o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public long due() {
            return due;
        }
    }
}
