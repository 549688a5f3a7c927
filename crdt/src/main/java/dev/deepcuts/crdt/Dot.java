package dev.deepcuts.crdt;

import java.util.Objects;

/**
 * One event: the {@code counter}-th event of {@code replica}. Dots name the individual additions
 * of an add-wins set or map, so that a removal can say exactly which additions it saw.
 *
 * @param replica the replica that made the event
 * @param counter its sequence number at that replica, from 1
 */
public record Dot(String replica, long counter) {
    public Dot {
        Objects.requireNonNull(replica, "replica");
        if (counter < 1) throw new IllegalArgumentException("dot counter " + counter + " for replica '" + replica + "' must be at least 1");
    }

    @Override
    public String toString() {
        return replica + ":" + counter;
    }
}
