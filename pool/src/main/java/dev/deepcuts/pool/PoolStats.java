package dev.deepcuts.pool;

import java.util.List;

/**
 * A snapshot of a pool: its gauges, its counters, and where its connections are held longest.
 * Gauges are the state at the moment of the snapshot; counters count since the pool opened; the
 * percentiles and the call sites cover the time since the pool opened, or since the last
 * {@link ConnectionPool#snapshotAndReset()}. Taking a snapshot with {@link ConnectionPool#stats()}
 * resets nothing.
 *
 * @param total          connections open (idle, in use, or being checked)
 * @param active         connections in use
 * @param idle           connections ready
 * @param waiting        threads waiting in {@code getConnection()}
 * @param borrows        borrows so far
 * @param timeouts       borrows that timed out
 * @param created        connections opened so far
 * @param closed         connections closed so far (retired, idle too long, broken, reclaimed)
 * @param leaks          leak reports so far
 * @param nestedBorrows  borrows by a thread that already held a connection (the pool-locking risk)
 * @param waitP50Micros  median wait of borrows that had to wait, in microseconds
 * @param waitP99Micros  99th percentile of those waits
 * @param holdP50Micros  median time a connection was held, over the sampled borrows (coarse: 1 ms resolution)
 * @param holdP99Micros  99th percentile hold time
 * @param sites          sampled call sites, by total hold time, longest first
 */
public record PoolStats(int total, int active, int idle, int waiting, long borrows, long timeouts, long created, long closed,
                        long leaks, long nestedBorrows, long waitP50Micros, long waitP99Micros, long holdP50Micros,
                        long holdP99Micros, List<Site> sites) {

    /**
     * One call site that borrows connections.
     *
     * @param site         class.method(file:line) of the first frame outside the pool
     * @param samples      sampled borrows from there
     * @param meanHoldMicros mean hold time of those borrows
     * @param maxHoldMicros  longest hold time of those borrows
     */
    public record Site(String site, long samples, long meanHoldMicros, long maxHoldMicros) {}
}
