package dev.deepcuts.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PitrTest {

    static final KvStore.Config CONFIG = KvStore.Config.defaults().withPages(64).withFullPageWrites(false)
            .withWal(WalConfig.defaults().withSegmentSize(64 << 10));

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aBackupTakenWhileWritersCommitRestoresToTheLatestState(@TempDir Path dir) throws Exception {
        FileStorage live = new FileStorage(dir.resolve("live"));
        FileStorage archive = new FileStorage(dir.resolve("archive"));
        try (KvStore store = KvStore.open(live, CONFIG)) {
            store.log().archiveTo(archive);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> error = new AtomicReference<>();
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    for (int n = 0; !stop.get() || n < 2000; n++) {
                        store.begin().put(b("k" + (n % 500)), b("v" + n)).commit();
                    }
                } catch (Throwable e) {
                    error.set(e);
                }
            });
            Thread.sleep(50);
            store.backup(new FileStorage(dir.resolve("backup")));   // fuzzy: pages change under the copy
            stop.set(true);
            writer.join();
            assertThat(error.get()).isNull();
            store.log().archiveNow();
            KvStore.RestoreReport r = KvStore.restore(new FileStorage(dir.resolve("backup")), archive,
                    new FileStorage(dir.resolve("restored")), CONFIG, Instant.now().plusSeconds(3600));
            assertThat(r.commitsAfterBackup()).isPositive();
            try (KvStore restored = KvStore.open(new FileStorage(dir.resolve("restored")), CONFIG)) {
                for (int k = 0; k < 500; k++) {
                    assertThat(restored.get(b("k" + k))).as("key %d", k).isEqualTo(store.get(b("k" + k)));
                }
            }
        }
    }

    @Test
    void aTargetBeforeTheBackupEndedIsRefused(@TempDir Path dir) throws IOException {
        FileStorage archive = new FileStorage(dir.resolve("archive"));
        try (KvStore store = KvStore.open(new FileStorage(dir.resolve("live")), CONFIG)) {
            store.log().archiveTo(archive);
            store.begin().put(b("a"), b("1")).commit();
            store.backup(new FileStorage(dir.resolve("backup")));
            store.begin().put(b("a"), b("2")).commit();
            store.log().archiveNow();
        }
        assertThatThrownBy(() -> KvStore.restore(new FileStorage(dir.resolve("backup")), archive, new FileStorage(dir.resolve("r")),
                CONFIG, Instant.EPOCH)).isInstanceOf(IOException.class).hasMessageContaining("before the end of the backup");
    }
}
