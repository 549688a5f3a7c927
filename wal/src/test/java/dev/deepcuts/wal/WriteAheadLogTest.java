package dev.deepcuts.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.deepcuts.sim.SimulatedDisk;

class WriteAheadLogTest {

    static final WalConfig SMALL = WalConfig.defaults().withSegmentSize(4096);

    record Rec(long lsn, int type, byte[] payload) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Rec r && r.lsn == lsn && r.type == type && Arrays.equals(r.payload, payload);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(lsn);
        }

        @Override
        public String toString() {
            return lsn + ":" + type + ":" + payload.length;
        }
    }

    static List<Rec> collect(Storage storage, WalConfig config, long from) throws IOException {
        List<Rec> out = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(storage, config, from,
                (lsn, type, data, off, len) -> out.add(new Rec(lsn, type, Arrays.copyOfRange(data, off, off + len))))) {
            return out;
        }
    }

    static byte[] payload(SplittableRandom rnd, int max) {
        byte[] b = new byte[rnd.nextInt(max + 1)];
        rnd.nextBytes(b);
        return b;
    }

    @Test
    void recordsComeBackInOrderAcrossSegments(@TempDir Path dir) throws IOException {
        for (Storage storage : List.of(new FileStorage(dir), new SimStorage(new SimulatedDisk()))) {
            SplittableRandom rnd = new SplittableRandom(1);
            List<Rec> written = new ArrayList<>();
            try (WriteAheadLog log = WriteAheadLog.open(storage, SMALL, 0, (l, t, d, o, n) -> { })) {
                for (int i = 0; i < 400; i++) {
                    // sizes chosen to hit every edge: empty, just-fitting, switch markers, records ending exactly at a segment end
                    byte[] p = i % 50 == 0 ? new byte[SMALL.maxPayload()] : payload(rnd, i % 7 == 0 ? 1500 : 60);
                    int type = 1 + rnd.nextInt(255);
                    long lsn = log.append(type, p);
                    written.add(new Rec(lsn, type, p));
                    if (i % 3 == 0) {
                        log.commit(lsn);
                    }
                }
            }
            assertThat(collect(storage, SMALL, 0)).as(storage.describe()).containsExactlyElementsOf(written);
            assertThat(written.getLast().lsn() / SMALL.segmentSize()).isGreaterThan(10);
        }
    }

    @Test
    void reopeningAppendsAfterTheEnd() throws IOException {
        SimStorage storage = new SimStorage(new SimulatedDisk());
        long first;
        try (WriteAheadLog log = WriteAheadLog.open(storage, SMALL, 0, (l, t, d, o, n) -> { })) {
            first = log.append(7, "one".getBytes(StandardCharsets.UTF_8));
            log.commit(first);
        }
        try (WriteAheadLog log = WriteAheadLog.open(storage, SMALL, 0, (l, t, d, o, n) -> { })) {
            assertThat(log.recovery().records()).isEqualTo(1);
            assertThat(log.recovery().tornTail()).isFalse();
            long second = log.append(8, "two".getBytes(StandardCharsets.UTF_8));
            assertThat(second).isGreaterThan(first);
            log.commit(second);
        }
        assertThat(collect(storage, SMALL, 0)).extracting(Rec::type).containsExactly(7, 8);
    }

    @Test
    void groupCommitSharesFsyncsBetweenThreads(@TempDir Path dir) throws Exception {
        WalConfig config = WalConfig.defaults().withSegmentSize(1 << 20);
        int threads = 8;
        int each = 200;
        try (WriteAheadLog log = WriteAheadLog.open(new FileStorage(dir), config, 0, (l, t, d, o, n) -> { })) {
            CountDownLatch start = new CountDownLatch(1);
            AtomicReference<Throwable> error = new AtomicReference<>();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < each; i++) {
                            long lsn = log.append(1 + id, new byte[100]);
                            log.commit(lsn);
                            assertThat(log.durableLsn()).isGreaterThan(lsn);
                        }
                    } catch (Throwable e) {
                        error.set(e);
                    }
                }));
            }
            start.countDown();
            for (Thread w : workers) {
                w.join();
            }
            assertThat(error.get()).isNull();
            assertThat(log.flushedRecords()).isEqualTo((long) threads * each);
            assertThat(log.flushes()).as("commits share fsyncs").isLessThan((long) threads * each);
        }
        assertThat(collect(new FileStorage(dir), config, 0)).hasSize(threads * each);
    }

    @Test
    void asyncCommitReturnsAtOnceAndTheFlusherCatchesUp() throws Exception {
        SimStorage storage = new SimStorage(new SimulatedDisk());
        WalConfig config = SMALL.withDurability(Durability.ASYNC).withAsyncIntervalMillis(5);
        try (WriteAheadLog log = WriteAheadLog.open(storage, config, 0, (l, t, d, o, n) -> { })) {
            long lsn = log.append(1, new byte[10]);
            log.commit(lsn);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (log.durableLsn() <= lsn && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(log.durableLsn()).isGreaterThan(lsn);
        }
    }

    @Test
    void asyncAppendersWaitForFlushesInsteadOfGrowingTheBufferForever() throws IOException {
        SimStorage storage = new SimStorage(new SimulatedDisk());
        WalConfig config = SMALL.withDurability(Durability.ASYNC).withAsyncIntervalMillis(60_000);   // the flusher sleeps
        try (WriteAheadLog log = WriteAheadLog.open(storage, config, 0, (l, t, d, o, n) -> { })) {
            long last = 0;
            for (int i = 0; i < 2000; i++) {
                last = log.append(1, new byte[1000]);                                  // ~2 MB, 4 KiB segments
            }
            assertThat(log.durableLsn()).as("appenders flushed once the buffer held a few segments")
                    .isGreaterThan(last - 5L * SMALL.segmentSize());
        }
    }

    @Test
    void syncEachCommitsAlone() throws IOException {
        SimStorage storage = new SimStorage(new SimulatedDisk());
        try (WriteAheadLog log = WriteAheadLog.open(storage, SMALL.withDurability(Durability.SYNC_EACH), 0, (l, t, d, o, n) -> { })) {
            for (int i = 0; i < 20; i++) {
                log.commit(log.append(1, new byte[30]));
            }
            assertThat(log.flushes()).isEqualTo(20);
        }
    }

    @Test
    void aFailedFsyncStopsTheLogForGood() throws IOException {
        SimulatedDisk disk = new SimulatedDisk();
        SimStorage storage = new SimStorage(disk);
        long kept;
        try (WriteAheadLog log = WriteAheadLog.open(storage, SMALL, 0, (l, t, d, o, n) -> { })) {
            kept = log.append(1, "durable".getBytes(StandardCharsets.UTF_8));
            log.commit(kept);
            disk.open(Format.segmentName(0)).failNextFsync();
            long lost = log.append(2, "lost".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> log.commit(lost)).isInstanceOf(WalFailedException.class)
                    .hasMessageContaining("never retries").hasMessageContaining("injected I/O error");
            assertThatThrownBy(() -> log.append(3, new byte[1])).isInstanceOf(WalFailedException.class);
            assertThatThrownBy(() -> log.commit(lost)).as("no retry that could falsely succeed").isInstanceOf(WalFailedException.class);
        }
        // the disk dropped the failed write: after a crash only the durable record is there
        List<Rec> after = collect(new SimStorage(disk.crash(new SplittableRandom(1))), SMALL, 0);
        assertThat(after).extracting(Rec::lsn).containsExactly(kept);
    }

    @Test
    void corruptionBeforeTheEndRefusesToStartAndNamesTheSpot() throws IOException {
        SimulatedDisk disk = new SimulatedDisk();
        SimStorage storage = new SimStorage(disk);
        List<Long> lsns = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(storage, SMALL, 0, (l, t, d, o, n) -> { })) {
            for (int i = 0; i < 30; i++) {
                long lsn = log.append(1, new byte[50]);
                log.commit(lsn);                                 // one flush per record: later flushes exist
                lsns.add(lsn);
            }
        }
        long victim = lsns.get(5);
        var f = disk.open(Format.segmentName(victim / 4096));
        byte[] b = f.read(victim % 4096 + 30, 1);
        b[0] ^= 0x40;
        f.write(victim % 4096 + 30, b);
        f.fsync();
        assertThatThrownBy(() -> collect(storage, SMALL, 0)).isInstanceOf(WalCorruptedException.class)
                .hasMessageContaining(Format.segmentName(0)).hasMessageContaining("offset " + victim % 4096)
                .satisfies(e -> assertThat(((WalCorruptedException) e).offset()).isEqualTo(victim % 4096));
    }

    @Test
    void recycledSegmentsAreReusedAndTheirOldRecordsNeverReappear() throws IOException {
        SimStorage storage = new SimStorage(new SimulatedDisk());
        WalConfig config = SMALL.withSpareSegments(3);
        long checkpoint;
        List<Long> afterCheckpoint = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(storage, config, 0, (l, t, d, o, n) -> { })) {
            for (int i = 0; i < 100; i++) {
                log.commit(log.append(1, new byte[200]));
            }
            checkpoint = log.endLsn();
            assertThat(log.releaseBefore(checkpoint)).isPositive();
            for (int i = 0; i < 100; i++) {
                long lsn = log.append(2, new byte[200]);
                log.commit(lsn);
                afterCheckpoint.add(lsn);
            }
        }
        assertThat(storage.list()).noneMatch(n -> n.startsWith("spare-")).as("the spares were used");
        List<Rec> recovered = collect(storage, config, checkpoint);
        assertThat(recovered).extracting(Rec::lsn).containsExactlyElementsOf(afterCheckpoint);
    }

    /** FileStorage that notes which thread created each file and synced the directory, and can fail creating one. */
    static final class Watched extends ForwardingStorage {
        final String failCreating;
        final List<String> creators = java.util.Collections.synchronizedList(new ArrayList<>());

        Watched(Storage inner, String failCreating) {
            super(inner);
            this.failCreating = failCreating;
        }

        @Override
        public StorageFile open(String name, boolean create) throws IOException {
            if (create && !inner.exists(name)) {
                if (name.equals(failCreating)) {
                    throw new IOException("no space left to create " + name + " (injected)");
                }
                creators.add(name + " by " + Thread.currentThread().getName());
            }
            return inner.open(name, create);
        }

        @Override
        public void syncDirectory() throws IOException {
            creators.add("directory sync by " + Thread.currentThread().getName());
            inner.syncDirectory();
        }
    }

    @Test
    void segmentsArePreparedOffTheCommitPath(@TempDir Path dir) throws IOException {
        Watched storage = new Watched(new FileStorage(dir), null);
        List<Rec> written = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(storage, SMALL, 0, (l, t, d, o, n) -> { })) {
            for (int i = 0; i < 40; i++) {
                byte[] p = new byte[500];
                Arrays.fill(p, (byte) i);
                long lsn = log.append(1, p);
                log.commit(lsn);
                written.add(new Rec(lsn, 1, p));
            }
        }
        assertThat(storage.creators).as("segments created and directory syncs").hasSizeGreaterThan(8)
                .allMatch(c -> c.endsWith(" by wal-segment-preparer"));
        assertThat(collect(new FileStorage(dir), SMALL, 0)).containsExactlyElementsOf(written);
    }

    @Test
    void aFailedPreparationStopsTheLogAndSaysWhy(@TempDir Path dir) throws IOException {
        String third = Format.segmentName(2);
        Watched storage = new Watched(new FileStorage(dir), third);
        List<Rec> acknowledged = new ArrayList<>();
        WriteAheadLog log = WriteAheadLog.open(storage, SMALL, 0, (l, t, d, o, n) -> { });
        assertThatThrownBy(() -> {
            for (int i = 0; i < 40; i++) {
                byte[] p = new byte[500];
                long lsn = log.append(1, p);
                log.commit(lsn);
                acknowledged.add(new Rec(lsn, 1, p));
            }
        }).isInstanceOf(WalFailedException.class).hasMessageContaining(third).hasMessageContaining("no space left");
        assertThat(log.failure()).contains(third).contains("no space left");
        assertThatThrownBy(() -> log.append(1, new byte[10])).isInstanceOf(WalFailedException.class);
        log.close();
        assertThat(acknowledged).isNotEmpty();
        assertThat(collect(new FileStorage(dir), SMALL, 0)).startsWith(acknowledged.toArray(Rec[]::new));
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> WalConfig.defaults().withSegmentSize(5000)).hasMessageContaining("5000");
        assertThatThrownBy(() -> WalConfig.defaults().withAsyncIntervalMillis(0)).hasMessageContaining("asyncIntervalMillis");
        SimStorage storage = new SimStorage(new SimulatedDisk());
        assertThatThrownBy(() -> {
            try (WriteAheadLog log = WriteAheadLog.open(storage, SMALL, 0, (l, t, d, o, n) -> { })) {
                log.append(0, new byte[1]);
            }
        }).hasMessageContaining("[1, 255], got 0");
        assertThatThrownBy(() -> {
            try (WriteAheadLog log = WriteAheadLog.open(storage, SMALL, 0, (l, t, d, o, n) -> { })) {
                log.append(1, new byte[5000]);
            }
        }).hasMessageContaining("5000 bytes exceeds the maximum of " + SMALL.maxPayload());
    }
}
