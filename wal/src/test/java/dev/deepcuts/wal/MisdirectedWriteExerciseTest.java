package dev.deepcuts.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.deepcuts.sim.SimulatedDisk;

/**
 * Exercise 6 of chapter 2 (book/02-write-ahead-log.md): misdirected writes. A disk (or a driver, or
 * a RAID controller) can write a whole, intact page to the wrong place. Its checksum still matches,
 * because it was computed over the page's bytes alone, so the store reads one page's entries as
 * another's and silently answers "no such key". This test passes once a page's checksum depends on
 * its page number too, as PostgreSQL's does. Tagged {@code exercise}: excluded from the default run;
 * run it with
 * {@code ./mvnw -B -pl wal -am verify -Dgroups=exercise -DexcludedGroups= -Dtest=MisdirectedWriteExerciseTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("exercise")
class MisdirectedWriteExerciseTest {

    static final KvStore.Config CONFIG = KvStore.Config.defaults().withPages(8).withBufferPages(8)
            .withWal(WalConfig.defaults().withSegmentSize(1 << 20));

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPageWrittenWhereAnotherBelongsIsCaughtNotBelieved() throws IOException {
        SimulatedDisk disk = new SimulatedDisk();
        SimStorage storage = new SimStorage(disk);
        Map<String, String> committed = new HashMap<>();
        try (KvStore store = KvStore.open(storage, CONFIG)) {
            KvStore.Txn t = store.begin();
            for (int k = 0; k < 200; k++) {
                t.put(b("key" + k), b("value " + k));
                committed.put("key" + k, "value " + k);
            }
            t.commit();
        }                                                   // closing checkpoints: every page is on disk

        // the disk writes page 1's image at page 2's offset, whole and intact
        int size = CONFIG.pageSize();
        SimulatedDisk.SimFile data = disk.open("data");     // the store's data file
        byte[] pageOne = data.read(size, size);
        assertThat(pageOne).as("page 1 holds entries").isNotEqualTo(new byte[size]);
        data.write(2L * size, pageOne);
        data.fsync();

        assertThat(KvStore.tornPages(storage, CONFIG)).as("page 2 no longer holds page 2").contains(2);
        try (KvStore store = KvStore.open(storage, CONFIG)) {
            for (var e : committed.entrySet()) {
                byte[] got;
                try {
                    got = store.get(b(e.getKey()));
                } catch (CorruptPageException loud) {
                    continue;                               // refusing to answer is fine: wrong answers are not
                }
                assertThat(got).as("committed key %s", e.getKey()).isNotNull();
                assertThat(new String(got, StandardCharsets.UTF_8)).isEqualTo(e.getValue());
            }
        }
    }
}
