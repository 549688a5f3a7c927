package dev.deepcuts.wal;

import java.io.IOException;
import java.util.List;

import dev.deepcuts.sim.SimulatedDisk;

/**
 * {@link Storage} on {@code sim}'s {@link SimulatedDisk}, so that tests can crash the log at any
 * point, tear and reorder its unsynced writes, make fsync fail, and enumerate every crash state.
 * Calls are serialized (the simulated disk is single-threaded).
 */
public final class SimStorage implements Storage {

    private final SimulatedDisk disk;

    /** Storage on {@code disk}. */
    public SimStorage(SimulatedDisk disk) {
        this.disk = disk;
    }

    /** The disk underneath. */
    public SimulatedDisk disk() {
        return disk;
    }

    @Override
    public synchronized StorageFile open(String name, boolean create) throws IOException {
        if (!create && !disk.exists(name)) {
            throw new java.nio.file.NoSuchFileException(name);
        }
        SimulatedDisk.SimFile f = disk.open(name);
        Object lock = this;
        return new StorageFile() {
            @Override
            public long size() throws IOException {
                synchronized (lock) {
                    return f.size();
                }
            }

            @Override
            public void write(long offset, byte[] data, int from, int length) throws IOException {
                byte[] copy = java.util.Arrays.copyOfRange(data, from, from + length);
                synchronized (lock) {
                    f.write(offset, copy);
                }
            }

            @Override
            public int read(long offset, byte[] into, int from, int length) throws IOException {
                byte[] got;
                synchronized (lock) {
                    got = f.read(offset, length);
                }
                System.arraycopy(got, 0, into, from, got.length);
                return got.length;
            }

            @Override
            public void sync() throws IOException {
                synchronized (lock) {
                    f.fsync();
                }
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public synchronized boolean exists(String name) {
        return disk.exists(name);
    }

    @Override
    public synchronized List<String> list() {
        return disk.list();
    }

    @Override
    public synchronized void rename(String from, String to) throws IOException {
        disk.rename(from, to);
    }

    @Override
    public synchronized void delete(String name) throws IOException {
        disk.delete(name);
    }

    @Override
    public synchronized void syncDirectory() {
        disk.syncDirectory();
    }

    /** Yes: tests crash the disk between calls, so nothing may call it from a thread of its own. */
    @Override
    public boolean singleThreaded() {
        return true;
    }

    @Override
    public String describe() {
        return "simulated disk";
    }
}
