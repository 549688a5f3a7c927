package dev.deepcuts.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.deepcuts.sim.SimulatedDisk;

class KvStoreTest {

    static final KvStore.Config SMALL = KvStore.Config.defaults().withPages(16).withBufferPages(4)
            .withWal(WalConfig.defaults().withSegmentSize(1 << 16));

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @AfterEach
    void noBug() {
        WriteAheadLog.omitForTests = WriteAheadLog.Omit.NOTHING;
    }

    @Test
    void committedWritesSurviveAReopenAndAbortedOnesNeverHappened(@TempDir Path dir) throws IOException {
        try (KvStore store = KvStore.open(new FileStorage(dir), SMALL)) {
            store.begin().put(b("a"), b("1")).put(b("b"), b("2")).commit();
            KvStore.Txn t = store.begin().put(b("a"), b("changed")).delete(b("b"));
            assertThat(s(t.get(b("a")))).as("a transaction sees its own writes").isEqualTo("changed");
            assertThat(s(store.get(b("a")))).as("others do not").isEqualTo("1");
            t.abort();
            store.begin().delete(b("b")).put(b("c"), b("3")).commit();
        }
        try (KvStore store = KvStore.open(new FileStorage(dir), SMALL)) {
            assertThat(s(store.get(b("a")))).isEqualTo("1");
            assertThat(store.get(b("b"))).isNull();
            assertThat(s(store.get(b("c")))).isEqualTo("3");
        }
    }

    /** Random transactions over a small pool (so pages are evicted and written back), crashes at random points. */
    @Test
    void everyAcknowledgedTransactionSurvivesRandomCrashes() throws IOException {
        for (long seed = 0; seed < 60; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            SimulatedDisk disk = new SimulatedDisk();
            Map<String, String> acknowledged = new HashMap<>();
            Map<String, String> maybe = new HashMap<>();
            int ops = 0;
            try (KvStore store = KvStore.open(new PowerCut(new SimStorage(disk), 40 + rnd.nextInt(400)), SMALL)) {
                for (int t = 0; t < 80; t++) {
                    KvStore.Txn txn = store.begin();
                    Map<String, String> writes = new HashMap<>();
                    for (int i = 0; i < 1 + rnd.nextInt(4); i++) {
                        String k = "k" + rnd.nextInt(60);
                        String v = rnd.nextInt(5) == 0 ? null : "v" + t + "." + i;
                        if (v == null) {
                            txn.delete(b(k));
                        } else {
                            txn.put(b(k), b(v));
                        }
                        writes.put(k, v);
                    }
                    if (rnd.nextInt(6) == 0) {
                        txn.abort();
                        continue;
                    }
                    maybe.clear();
                    maybe.putAll(writes);
                    txn.commit();
                    acknowledged.putAll(writes);
                    maybe.clear();
                    ops++;
                    if (t % 25 == 24) {
                        store.checkpoint();
                    }
                }
            } catch (PowerCut.Crash | WalFailedException e) {
                // power lost
            }
            SimulatedDisk after = disk.crash(rnd);
            try (KvStore store = KvStore.open(new SimStorage(after), SMALL)) {
                for (int k = 0; k < 60; k++) {
                    String key = "k" + k;
                    String got = s(store.get(b(key)));
                    String want = acknowledged.get(key);
                    if (maybe.containsKey(key)) {
                        // the transaction in flight at the crash: all of it or none of it
                        assertThat(got).as("seed %d key %s", seed, key).isIn(want, maybe.get(key));
                    } else {
                        assertThat(got).as("seed %d key %s after %d commits", seed, key, ops).isEqualTo(want);
                    }
                }
            }
        }
    }

    /** No-steal: a transaction touching more pages than the pool holds must not get its own pages written back early. */
    @Test
    void aTransactionLargerThanThePoolNeverStealsItsOwnPages() throws IOException {
        KvStore.Config config = KvStore.Config.defaults().withPages(16).withBufferPages(2)
                .withFullPageWrites(false).withWal(WalConfig.defaults().withSegmentSize(1 << 16));
        SimulatedDisk disk = new SimulatedDisk();
        boolean[] armed = {false};
        PowerCut storage = new PowerCut(new SimStorage(disk), (n, op, file) -> armed[0] && op.equals("write") && file.endsWith(".wal"));
        KvStore store = KvStore.open(storage, config);
        store.begin().put(b("seed"), b("x")).commit();
        store.checkpoint();
        armed[0] = true;                                  // the power goes when the COMMIT's flush starts
        KvStore.Txn t = store.begin();
        for (int k = 0; k < 12; k++) {
            t.put(b("key" + k), b("uncommitted " + k));
        }
        try {
            t.commit();
        } catch (PowerCut.Crash | WalFailedException e) {
            // never acknowledged
        }
        try (KvStore after = KvStore.open(new SimStorage(disk), config)) {
            int visible = 0;
            for (int k = 0; k < 12; k++) {
                visible += after.get(b("key" + k)) != null ? 1 : 0;
            }
            assertThat(visible).as("none of an unacknowledged transaction may show").isZero();
        }
    }

    /** fsyncgate in the store: after a failed data-file sync it stops, and recovery still has everything. */
    @Test
    void aFailedDataSyncStopsTheStoreAndNothingCommittedIsLost() throws IOException {
        KvStore.Config config = KvStore.Config.defaults().withPages(16).withBufferPages(16)
                .withWal(WalConfig.defaults().withSegmentSize(1 << 16).withSpareSegments(0));
        SimulatedDisk disk = new SimulatedDisk();
        KvStore store = KvStore.open(new SimStorage(disk), config);
        for (int i = 0; i < 50; i++) {
            store.begin().put(b("k" + i), b("v" + i)).commit();
        }
        disk.open("data").failNextFsync();
        assertThatThrownBy(store::checkpoint).isInstanceOf(IOException.class).hasMessageContaining("the store stopped");
        assertThatThrownBy(store::checkpoint).as("no second checkpoint that pretends").hasMessageContaining("the store stopped");
        assertThatThrownBy(() -> store.begin().put(b("x"), b("y")).commit()).hasMessageContaining("the store stopped");
        SimulatedDisk after = disk.crash(new SplittableRandom(1));
        try (KvStore s = KvStore.open(new SimStorage(after), config)) {
            for (int i = 0; i < 50; i++) {
                assertThat(s(s.get(b("k" + i)))).isEqualTo("v" + i);
            }
        }
    }

    @Test
    void aFullPageIsRefusedBeforeAnythingIsLogged() throws IOException {
        KvStore.Config tiny = SMALL.withPages(1);
        try (KvStore store = KvStore.open(new SimStorage(new SimulatedDisk()), tiny)) {
            long before = store.log().endLsn();
            KvStore.Txn t = store.begin();
            for (int i = 0; i < 10; i++) {
                t.put(b("key" + i), new byte[1000]);
            }
            assertThatThrownBy(t::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("page 0 is full");
            assertThat(store.log().endLsn()).isEqualTo(before);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> SMALL.withPages(3)).hasMessageContaining("power of two, got 3");
        assertThatThrownBy(() -> SMALL.withBufferPages(1)).hasMessageContaining("bufferPages");
        assertThatThrownBy(() -> {
            try (KvStore store = KvStore.open(new SimStorage(new SimulatedDisk()), SMALL)) {
                store.begin().put(new byte[2000], b("x"));
            }
        }).hasMessageContaining("2000 bytes");
    }
}
