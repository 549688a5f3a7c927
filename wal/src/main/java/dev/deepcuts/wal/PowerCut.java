package dev.deepcuts.wal;

import java.io.IOException;
import java.util.List;

/**
 * Storage that "loses power" just before a chosen mutating operation (a write, sync, creation,
 * rename, deletion or directory sync): that operation throws {@link Crash}, and the process is
 * to act as dead from then on. What the disk then holds is for {@code SimulatedDisk.crash} or
 * {@code crashStates} to decide. For crash tests and labs.
 */
public final class PowerCut implements Storage {

    /** The power went out. */
    public static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash(String what) {
            super("power lost before " + what);
        }
    }

    /** Which operation the power goes out before: the {@code n}-th, counting from 0, and its kind and file. */
    @FunctionalInterface
    public interface When {
        boolean test(int n, String operation, String file);
    }

    private final Storage inner;
    private final When when;
    private int ops;                 // guarded by this: the log prepares segments on a thread of its own
    private boolean cut;

    /** Cuts the power before the {@code crashAt}-th operation ({@code Integer.MAX_VALUE}: never, just count). */
    public PowerCut(Storage inner, int crashAt) {
        this(inner, (n, op, file) -> n == crashAt);
    }

    /** Cuts the power before the first operation {@code when} picks. */
    public PowerCut(Storage inner, When when) {
        this.inner = inner;
        this.when = when;
    }

    /** Mutating operations seen so far. */
    public synchronized int operations() {
        return ops;
    }

    /** Whether the power has been cut. */
    public synchronized boolean cut() {
        return cut;
    }

    private synchronized void tick(String operation, String file) {
        if (cut) {
            throw new Crash(operation + " " + file + " (the power is already off)");
        }
        if (when.test(ops++, operation, file)) {
            cut = true;
            throw new Crash(operation + " " + file + " (operation " + (ops - 1) + ")");
        }
    }

    @Override
    public StorageFile open(String name, boolean create) throws IOException {
        if (create && !inner.exists(name)) {
            tick("create", name);
        }
        StorageFile f = inner.open(name, create);
        return new StorageFile() {
            @Override
            public long size() throws IOException {
                return f.size();
            }

            @Override
            public void write(long offset, byte[] data, int from, int length) throws IOException {
                tick("write", name);
                f.write(offset, data, from, length);
            }

            @Override
            public int read(long offset, byte[] into, int from, int length) throws IOException {
                return f.read(offset, into, from, length);
            }

            @Override
            public void sync() throws IOException {
                tick("sync", name);
                f.sync();
            }

            @Override
            public void close() throws IOException {
                f.close();
            }
        };
    }

    @Override
    public boolean exists(String name) throws IOException {
        return inner.exists(name);
    }

    @Override
    public List<String> list() throws IOException {
        return inner.list();
    }

    @Override
    public void rename(String from, String to) throws IOException {
        tick("rename", from);
        inner.rename(from, to);
    }

    @Override
    public void delete(String name) throws IOException {
        tick("delete", name);
        inner.delete(name);
    }

    @Override
    public void syncDirectory() throws IOException {
        tick("sync-directory", "");
        inner.syncDirectory();
    }

    @Override
    public boolean singleThreaded() {
        return inner.singleThreaded();
    }

    @Override
    public String describe() {
        return inner.describe() + (cut ? " (power cut)" : "");
    }
}
