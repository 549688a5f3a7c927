package dev.deepcuts.wal;

import java.io.IOException;
import java.util.List;

/**
 * A storage that passes every call to another; tests override what they watch or change.
 * {@link #singleThreaded} is not forwarded: it is false unless a subclass says otherwise, so a
 * wrapper around the simulated disk lets the log's preparer thread run.
 */
abstract class ForwardingStorage implements Storage {

    final Storage inner;

    ForwardingStorage(Storage inner) {
        this.inner = inner;
    }

    @Override
    public StorageFile open(String name, boolean create) throws IOException {
        return inner.open(name, create);
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
        inner.rename(from, to);
    }

    @Override
    public void delete(String name) throws IOException {
        inner.delete(name);
    }

    @Override
    public void syncDirectory() throws IOException {
        inner.syncDirectory();
    }

    @Override
    public String describe() {
        return inner.describe();
    }
}
