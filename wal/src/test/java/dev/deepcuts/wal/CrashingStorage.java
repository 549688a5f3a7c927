package dev.deepcuts.wal;

import java.io.IOException;
import java.util.List;

/**
 * Storage that "loses power" just before its {@code crashAt}-th mutating operation (write, sync,
 * rename, delete, directory sync): the operation throws {@link Crash} and nothing after it happens.
 * What the disk then holds is for {@code SimulatedDisk.crash}/{@code crashStates} to decide.
 */
final class CrashingStorage implements Storage {

    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash(int op) {
            super("power lost before storage operation " + op);
        }
    }

    private final Storage inner;
    private final int crashAt;
    private int ops;

    CrashingStorage(Storage inner, int crashAt) {
        this.inner = inner;
        this.crashAt = crashAt;
    }

    int operations() {
        return ops;
    }

    private void tick() {
        if (ops++ == crashAt) {
            throw new Crash(crashAt);
        }
    }

    @Override
    public StorageFile open(String name, boolean create) throws IOException {
        if (create && !inner.exists(name)) {
            tick();
        }
        StorageFile f = inner.open(name, create);
        return new StorageFile() {
            @Override
            public long size() throws IOException {
                return f.size();
            }

            @Override
            public void write(long offset, byte[] data, int from, int length) throws IOException {
                tick();
                f.write(offset, data, from, length);
            }

            @Override
            public int read(long offset, byte[] into, int from, int length) throws IOException {
                return f.read(offset, into, from, length);
            }

            @Override
            public void sync() throws IOException {
                tick();
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
        tick();
        inner.rename(from, to);
    }

    @Override
    public void delete(String name) throws IOException {
        tick();
        inner.delete(name);
    }

    @Override
    public void syncDirectory() throws IOException {
        tick();
        inner.syncDirectory();
    }

    @Override
    public String describe() {
        return inner.describe() + " (crashing before operation " + crashAt + ")";
    }
}
