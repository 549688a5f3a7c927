package dev.deepcuts.bloom.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A read path of an LSM-style store: immutable sorted runs, newest first. A point lookup asks each
 * run in turn until one has the key: for a key that is absent, every run is asked, and without
 * filters every run whose key range covers the key costs one block read. That is the read
 * amplification a per-run filter removes (RocksDB, LevelDB, Cassandra and HBase all keep one
 * filter per table file for this reason).
 */
final class LsmStore implements AutoCloseable {

    private final List<SsTable> runs; // newest first

    LsmStore(List<SsTable> runsNewestFirst) {
        this.runs = List.copyOf(runsNewestFirst);
    }

    // region lsm-get
    /** The newest value of {@code key}, or null when no run has it. */
    byte[] get(long key) throws IOException {
        for (SsTable run : runs) {          // newest first: the first hit is the current value
            byte[] v = run.get(key);
            if (v != null) return v;
        }
        return null;                        // an absent key has asked every run
    }
    // endregion lsm-get

    /** Total block reads done by all runs. */
    long reads() {
        long r = 0;
        for (SsTable t : runs) r += t.reads();
        return r;
    }

    int runCount() {
        return runs.size();
    }

    long filterBits() {
        long b = 0;
        for (SsTable t : runs) b += t.filterBits();
        return b;
    }

    long fileBytes() {
        long b = 0;
        for (SsTable t : runs) b += t.fileBytes();
        return b;
    }

    @Override
    public void close() throws IOException {
        for (SsTable t : runs) t.close();
    }

    /** Deletes a folder of run files (the lab cleans up after itself). */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            var paths = new ArrayList<Path>(walk.toList());
            java.util.Collections.reverse(paths);
            for (Path p : paths) Files.deleteIfExists(p);
        }
    }
}
