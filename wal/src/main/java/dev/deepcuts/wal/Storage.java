package dev.deepcuts.wal;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * A directory of files as the log needs it: positional reads and writes, an explicit sync per file,
 * and an explicit sync of the directory itself, because on Linux a created or renamed file is
 * durable only once its directory has been synced. Two implementations: {@link FileStorage} (a
 * real directory) and {@link SimStorage} (the simulated disk of {@code sim}, which can crash).
 */
public interface Storage {

    /** Opens {@code name}, creating an empty file if {@code create} and it does not exist. */
    StorageFile open(String name, boolean create) throws IOException;

    /** Whether {@code name} exists. */
    boolean exists(String name) throws IOException;

    /** The names of the files, sorted. */
    List<String> list() throws IOException;

    /** Renames {@code from} to {@code to}, replacing {@code to}; durable after {@link #syncDirectory()}. */
    void rename(String from, String to) throws IOException;

    /** Deletes {@code name}; durable after {@link #syncDirectory()}. */
    void delete(String name) throws IOException;

    /** Makes creations, renames and deletions durable. */
    void syncDirectory() throws IOException;

    /**
     * Whether every call must come from the threads that call the log. The simulated disk says
     * yes: a test may crash it between two calls, which a thread of the log's own could race with;
     * the log then prepares its segments in its flushes instead of on a thread of its own.
     */
    default boolean singleThreaded() {
        return false;
    }

    /** A description for messages (a path, or "simulated disk"). */
    String describe();

    /** One open file. */
    interface StorageFile extends Closeable {
        long size() throws IOException;

        /** Writes {@code length} bytes of {@code data} from {@code from} at {@code offset}. */
        void write(long offset, byte[] data, int from, int length) throws IOException;

        /** Reads up to {@code length} bytes at {@code offset} into {@code into}; returns how many (fewer at the end). */
        int read(long offset, byte[] into, int from, int length) throws IOException;

        /** Makes every write so far durable (fdatasync). */
        void sync() throws IOException;

        @Override
        void close() throws IOException;
    }
}
