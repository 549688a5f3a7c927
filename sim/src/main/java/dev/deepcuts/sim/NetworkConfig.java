package dev.deepcuts.sim;

/**
 * The faults and delays of a simulated network, per message.
 *
 * @param minLatencyMicros the least one-way delay
 * @param maxLatencyMicros the most one-way delay; each message draws uniformly in
 *                         [min, max], so messages on one link overtake each other (reordering)
 *                         unless {@code fifo} is set
 * @param lossRate         probability that a message is silently dropped
 * @param duplicateRate    probability that a delivered message is delivered a second time
 *                         (with its own delay), as a retransmitting network can
 * @param fifo             true to keep each directed link in order, as TCP does: a message is
 *                         never delivered before an earlier one on the same link
 */
public record NetworkConfig(long minLatencyMicros, long maxLatencyMicros, double lossRate, double duplicateRate, boolean fifo) {

    public NetworkConfig {
        if (minLatencyMicros < 0) throw new IllegalArgumentException("minLatencyMicros=" + minLatencyMicros + " must be at least 0");
        if (maxLatencyMicros < minLatencyMicros) {
            throw new IllegalArgumentException("maxLatencyMicros=" + maxLatencyMicros + " must be at least minLatencyMicros=" + minLatencyMicros);
        }
        if (!(lossRate >= 0 && lossRate < 1)) throw new IllegalArgumentException("lossRate=" + lossRate + " must be in [0, 1)");
        if (!(duplicateRate >= 0 && duplicateRate < 1)) throw new IllegalArgumentException("duplicateRate=" + duplicateRate + " must be in [0, 1)");
    }

    /** A reliable, ordered network with the given fixed latency. */
    public static NetworkConfig reliable(long latencyMicros) {
        return new NetworkConfig(latencyMicros, latencyMicros, 0, 0, true);
    }

    /** Latency in [min, max], no loss, no duplication, reordering allowed. */
    public static NetworkConfig jittery(long minLatencyMicros, long maxLatencyMicros) {
        return new NetworkConfig(minLatencyMicros, maxLatencyMicros, 0, 0, false);
    }

    public NetworkConfig withLoss(double rate) {
        return new NetworkConfig(minLatencyMicros, maxLatencyMicros, rate, duplicateRate, fifo);
    }

    public NetworkConfig withDuplication(double rate) {
        return new NetworkConfig(minLatencyMicros, maxLatencyMicros, lossRate, rate, fifo);
    }

    public NetworkConfig withFifo(boolean inOrder) {
        return new NetworkConfig(minLatencyMicros, maxLatencyMicros, lossRate, duplicateRate, inOrder);
    }
}
