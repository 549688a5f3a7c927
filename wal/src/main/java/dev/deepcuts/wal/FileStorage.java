package dev.deepcuts.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/** {@link Storage} on a real directory, through {@link FileChannel}: {@code force(false)} is fdatasync. */
public final class FileStorage implements Storage {

    private final Path dir;

    /** Storage in {@code dir}, which is created if missing. */
    public FileStorage(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    @Override
    public StorageFile open(String name, boolean create) throws IOException {
        FileChannel ch = create
                ? FileChannel.open(dir.resolve(name), StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE)
                : FileChannel.open(dir.resolve(name), StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new StorageFile() {
            @Override
            public long size() throws IOException {
                return ch.size();
            }

            @Override
            public void write(long offset, byte[] data, int from, int length) throws IOException {
                ByteBuffer b = ByteBuffer.wrap(data, from, length);
                long at = offset;
                while (b.hasRemaining()) {
                    at += ch.write(b, at);
                }
            }

            @Override
            public int read(long offset, byte[] into, int from, int length) throws IOException {
                ByteBuffer b = ByteBuffer.wrap(into, from, length);
                long at = offset;
                while (b.hasRemaining()) {
                    int n = ch.read(b, at);
                    if (n < 0) {
                        break;
                    }
                    at += n;
                }
                return b.position() - from;
            }

            @Override
            public void sync() throws IOException {
                ch.force(false);
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    @Override
    public boolean exists(String name) {
        return Files.exists(dir.resolve(name));
    }

    @Override
    public List<String> list() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Override
    public void rename(String from, String to) throws IOException {
        Files.move(dir.resolve(from), dir.resolve(to), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void delete(String name) throws IOException {
        Files.deleteIfExists(dir.resolve(name));
    }

    @Override
    public void syncDirectory() throws IOException {
        // opening a directory for reading and forcing it is how the JDK exposes fsync on a directory (Linux)
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    @Override
    public String describe() {
        return dir.toString();
    }
}
