package dev.deepcuts.sim;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A simulated disk with an operating system's page cache in front of it: what a process writes is
 * visible to it at once, but survives a crash only once it has been synced. It models the failures
 * that kill -9 cannot show and a write-ahead log must survive:
 *
 * <ul>
 *   <li><b>unsynced data lost</b>: a crash keeps only what {@link SimFile#fsync()} made durable
 *       (plus, possibly, some unsynced writes that the OS happened to write back);</li>
 *   <li><b>reordering</b>: unsynced writes reach the platter in any order, so after a crash a later
 *       write may be there while an earlier one is not;</li>
 *   <li><b>torn writes</b>: a write larger than a 512-byte sector may be cut at a sector boundary;</li>
 *   <li><b>metadata needs its own sync</b>: a created, renamed or deleted file is durable only after
 *       {@link #syncDirectory()}, as on Linux, where the directory entry is data of the directory;</li>
 *   <li><b>fsync can fail</b>: an injected failure reports an error once and the unsynced writes it
 *       covered are never written back, while reads still return them — the "fsyncgate" trap that
 *       makes retrying fsync wrong [1].</li>
 * </ul>
 *
 * <p>{@link #crash(SplittableRandom)} returns the disk as a random crash could leave it;
 * {@link #crashStates(int)} enumerates every state a crash could leave for small workloads, in the
 * spirit of ALICE and CrashMonkey [2][3], so a test can check recovery from all of them.
 *
 * <p>[1] PostgreSQL wiki, "Fsync Errors", https://wiki.postgresql.org/wiki/Fsync_Errors
 * <br>[2] T. S. Pillai et al., "All File Systems Are Not Created Equal: On the Complexity of
 * Crafting Crash-Consistent Applications", OSDI 2014.
 * <br>[3] J. Mohan et al., "Finding Crash-Consistency Bugs with Bounded Black-Box Crash Testing",
 * OSDI 2018.
 *
 * <p>Not thread-safe: driven by one simulation thread.
 */
public final class SimulatedDisk {

    /** The sector size: the unit a disk writes atomically. */
    public static final int SECTOR = 512;

    /** One write not yet durable. */
    private record Pending(long offset, byte[] data) {
        int sectors() {
            long first = offset / SECTOR;
            long last = (offset + data.length - 1) / SECTOR;
            return (int) (last - first + 1);
        }
    }

    private static final class Inode {
        byte[] durable = new byte[0];   // what the platter holds
        byte[] cached = new byte[0];    // what a process reads
        final List<Pending> pending = new ArrayList<>();
        boolean failNextFsync;
    }

    // name -> inode, as a process sees the directory, and as the disk holds it durably
    private final Map<String, Inode> visible = new TreeMap<>();
    private final Map<String, Inode> durableDir = new TreeMap<>();

    /** An empty disk. */
    public SimulatedDisk() {
    }

    /** Opens {@code name}, creating an empty file if it does not exist (durable only after {@link #syncDirectory()}). */
    public SimFile open(String name) {
        Objects.requireNonNull(name, "name");
        visible.computeIfAbsent(name, n -> new Inode());
        return new SimFile(name);
    }

    /** Whether {@code name} exists, as a process sees it. */
    public boolean exists(String name) {
        return visible.containsKey(name);
    }

    /** File names, as a process sees them, sorted. */
    public List<String> list() {
        return List.copyOf(visible.keySet());
    }

    /** Renames {@code from} to {@code to}, replacing {@code to}; durable after {@link #syncDirectory()}. */
    public void rename(String from, String to) throws IOException {
        Inode inode = visible.remove(from);
        if (inode == null) throw new IOException("rename: no file '" + from + "'");
        visible.put(to, inode);
    }

    /** Deletes {@code name}; durable after {@link #syncDirectory()}. */
    public void delete(String name) throws IOException {
        if (visible.remove(name) == null) throw new IOException("delete: no file '" + name + "'");
    }

    /** Makes the directory as a process sees it (creations, renames, deletions) durable. */
    public void syncDirectory() {
        durableDir.clear();
        durableDir.putAll(visible);
    }

    // region disk-crash
    /**
     * The disk after a crash at this instant: every durable byte, plus each unsynced write with
     * probability one half (the OS may have written it back, in any order), where a write that
     * made it may be torn at a sector boundary (with probability one half, a random prefix of its
     * sectors). Directory changes since the last {@link #syncDirectory()} are lost.
     */
    public SimulatedDisk crash(SplittableRandom random) {
        var after = new SimulatedDisk();
        for (var e : durableDir.entrySet()) {
            Inode from = e.getValue();
            byte[] image = from.durable.clone();
            for (Pending p : from.pending) {
                if (random.nextBoolean()) continue;                     // never written back
                int sectors = p.sectors();
                int kept = sectors > 1 && random.nextBoolean()
                        ? 1 + random.nextInt(sectors - 1)               // torn: only the first sectors
                        : sectors;
                image = apply(image, p, kept);
            }
            after.install(e.getKey(), image);
        }
        return after;
    }
    // endregion disk-crash

    /**
     * Every state a crash could leave, for small workloads: for every subset of each file's unsynced
     * writes (applied in their order), and for every way of tearing one write of the subset at a
     * sector boundary. Files are combined independently; the directory is the durable one.
     *
     * @throws IllegalStateException if there would be more than {@code limit} states
     */
    public List<SimulatedDisk> crashStates(int limit) {
        List<Map<String, byte[]>> states = new ArrayList<>();
        states.add(new LinkedHashMap<>());
        for (var e : durableDir.entrySet()) {
            List<byte[]> images = imagesOf(e.getValue(), limit);
            List<Map<String, byte[]>> next = new ArrayList<>();
            for (var s : states) {
                for (byte[] img : images) {
                    if (next.size() >= limit) {
                        throw new IllegalStateException("more than " + limit + " crash states: make the workload smaller or raise the limit");
                    }
                    var m = new LinkedHashMap<>(s);
                    m.put(e.getKey(), img);
                    next.add(m);
                }
            }
            states = next;
        }
        List<SimulatedDisk> disks = new ArrayList<>();
        for (var s : states) {
            var d = new SimulatedDisk();
            s.forEach(d::install);
            disks.add(d);
        }
        return disks;
    }

    private static List<byte[]> imagesOf(Inode inode, int limit) {
        int k = inode.pending.size();
        if (k > 20) throw new IllegalStateException(k + " unsynced writes to one file: too many to enumerate");
        List<byte[]> images = new ArrayList<>();
        for (int mask = 0; mask < (1 << k); mask++) {
            // the subset as it is, then each member torn at each inner sector boundary
            images.add(applySubset(inode, mask, -1, 0));
            if (images.size() > limit) throw new IllegalStateException("more than " + limit + " crash states for one file");
            for (int t = 0; t < k; t++) {
                if ((mask & (1 << t)) == 0) continue;
                int sectors = inode.pending.get(t).sectors();
                for (int kept = 1; kept < sectors; kept++) {
                    images.add(applySubset(inode, mask, t, kept));
                    if (images.size() > limit) throw new IllegalStateException("more than " + limit + " crash states for one file");
                }
            }
        }
        // distinct images only
        List<byte[]> distinct = new ArrayList<>();
        outer:
        for (byte[] img : images) {
            for (byte[] d : distinct) if (Arrays.equals(d, img)) continue outer;
            distinct.add(img);
        }
        return distinct;
    }

    private static byte[] applySubset(Inode inode, int mask, int torn, int kept) {
        byte[] image = inode.durable.clone();
        for (int i = 0; i < inode.pending.size(); i++) {
            if ((mask & (1 << i)) == 0) continue;
            Pending p = inode.pending.get(i);
            image = apply(image, p, i == torn ? kept : p.sectors());
        }
        return image;
    }

    /** Applies the first {@code sectors} sectors of a write to an image. */
    private static byte[] apply(byte[] image, Pending p, int sectors) {
        long end = p.sectors() == sectors ? p.offset + p.data.length
                : Math.min(p.offset + p.data.length, (p.offset / SECTOR + sectors) * SECTOR);
        int len = (int) (end - p.offset);
        if (end > image.length) image = Arrays.copyOf(image, (int) end);
        System.arraycopy(p.data, 0, image, (int) p.offset, len);
        return image;
    }

    private void install(String name, byte[] image) {
        var inode = new Inode();
        inode.durable = image.clone();
        inode.cached = image.clone();
        visible.put(name, inode);
        durableDir.put(name, inode);
    }

    /** A handle on one file of the disk. */
    public final class SimFile {
        private final String name;

        private SimFile(String name) {
            this.name = name;
        }

        private Inode inode() throws IOException {
            Inode i = visible.get(name);
            if (i == null) throw new IOException("file '" + name + "' no longer exists");
            return i;
        }

        /** The file's name. */
        public String name() {
            return name;
        }

        /** The size a process sees. */
        public long size() throws IOException {
            return inode().cached.length;
        }

        /** Writes {@code data} at {@code offset}, extending the file if needed; visible now, durable after {@link #fsync()}. */
        public void write(long offset, byte[] data) throws IOException {
            if (offset < 0) throw new IllegalArgumentException("offset " + offset + " is negative");
            Inode i = inode();
            var p = new Pending(offset, data.clone());
            i.pending.add(p);
            i.cached = apply(i.cached, p, p.sectors());
        }

        /** Appends {@code data} at the end of the file. */
        public void append(byte[] data) throws IOException {
            write(size(), data);
        }

        /** Reads up to {@code length} bytes at {@code offset}, as a process sees them. */
        public byte[] read(long offset, int length) throws IOException {
            byte[] c = inode().cached;
            if (offset < 0 || length < 0) throw new IllegalArgumentException("offset " + offset + " and length " + length + " must not be negative");
            if (offset >= c.length) return new byte[0];
            return Arrays.copyOfRange(c, (int) offset, (int) Math.min(c.length, offset + length));
        }

        // region failed-fsync
        /**
         * Makes every write so far durable. If a failure was injected, throws once and the unsynced
         * writes are dropped from the disk's future (never written back) although reads still
         * return them: retrying fsync then "succeeds" without making them durable.
         */
        public void fsync() throws IOException {
            Inode i = inode();
            if (i.failNextFsync) {
                i.failNextFsync = false;
                i.pending.clear();            // the kernel marked the pages clean: they are gone
                throw new IOException("fsync of '" + name + "' failed (injected I/O error)");
            }
            for (Pending p : i.pending) i.durable = apply(i.durable, p, p.sectors());
            i.pending.clear();
        }
        // endregion failed-fsync

        /** Makes the next {@link #fsync()} of this file fail, as a failing disk would. */
        public void failNextFsync() throws IOException {
            inode().failNextFsync = true;
        }

        /** The unsynced writes waiting for this file. */
        public int unsyncedWrites() throws IOException {
            return inode().pending.size();
        }
    }
}
