package dev.deepcuts.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SimulatedDiskTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] filled(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    private static byte[] contents(SimulatedDisk disk, String name) throws IOException {
        var f = disk.open(name);
        return f.read(0, (int) f.size());
    }

    @Test
    void aProcessSeesItsWritesAtOnce() throws IOException {
        var disk = new SimulatedDisk();
        var f = disk.open("log");
        f.append(bytes("hello "));
        f.append(bytes("world"));
        assertThat(new String(f.read(0, 100), StandardCharsets.UTF_8)).isEqualTo("hello world");
        assertThat(f.unsyncedWrites()).isEqualTo(2);
    }

    @Test
    void everyCrashKeepsWhatWasSyncedAndSomeCrashLosesWhatWasNot() throws IOException {
        var disk = new SimulatedDisk();
        var f = disk.open("log");
        disk.syncDirectory();
        f.append(bytes("durable;"));
        f.fsync();
        f.append(bytes("volatile"));
        List<SimulatedDisk> states = disk.crashStates(100);
        assertThat(states).allSatisfy(d -> assertThat(new String(contents(d, "log"), StandardCharsets.UTF_8)).startsWith("durable;"));
        assertThat(states).anySatisfy(d -> assertThat(new String(contents(d, "log"), StandardCharsets.UTF_8)).isEqualTo("durable;"));
        assertThat(states).anySatisfy(d -> assertThat(new String(contents(d, "log"), StandardCharsets.UTF_8)).isEqualTo("durable;volatile"));
    }

    @Test
    void aFileWhoseDirectoryWasNeverSyncedCanVanish() throws IOException {
        var disk = new SimulatedDisk();
        var f = disk.open("new-segment");
        f.append(bytes("data"));
        f.fsync();
        assertThat(disk.crashStates(10)).allSatisfy(d -> assertThat(d.exists("new-segment")).isFalse());
        disk.syncDirectory();
        assertThat(disk.crashStates(10)).allSatisfy(d -> assertThat(d.exists("new-segment")).isTrue());
    }

    @Test
    void aRenameIsDurableOnlyAfterTheDirectoryIsSynced() throws IOException {
        var disk = new SimulatedDisk();
        var f = disk.open("tmp");
        f.append(bytes("v2"));
        f.fsync();
        disk.syncDirectory();
        disk.rename("tmp", "current");
        assertThat(disk.exists("current")).isTrue();
        assertThat(disk.crashStates(10)).allSatisfy(d -> assertThat(d.list()).containsExactly("tmp"));
        disk.syncDirectory();
        assertThat(disk.crashStates(10)).allSatisfy(d -> assertThat(d.list()).containsExactly("current"));
    }

    @Test
    void aWriteAcrossSectorsCanBeTornAtASectorBoundary() throws IOException {
        var disk = new SimulatedDisk();
        var f = disk.open("page");
        disk.syncDirectory();
        f.write(0, filled(1024, 'x'));
        List<SimulatedDisk> states = disk.crashStates(100);
        assertThat(states).anySatisfy(d -> assertThat(contents(d, "page")).hasSize(512).containsOnly((byte) 'x'));
        assertThat(states).anySatisfy(d -> assertThat(contents(d, "page")).hasSize(1024));
        assertThat(states).anySatisfy(d -> assertThat(contents(d, "page")).isEmpty());
        assertThat(states).hasSize(3);
    }

    @Test
    void unsyncedWritesReachTheDiskInAnyOrder() throws IOException {
        var disk = new SimulatedDisk();
        var f = disk.open("log");
        disk.syncDirectory();
        f.write(0, filled(512, 'a'));
        f.write(512, filled(512, 'b'));
        // the later write survived, the earlier one did not: a hole of zeros, then b
        assertThat(disk.crashStates(100)).anySatisfy(d -> {
            byte[] c = contents(d, "log");
            assertThat(c).hasSize(1024);
            assertThat(c[0]).isZero();
            assertThat(c[600]).isEqualTo((byte) 'b');
        });
    }

    @Test
    void aFailedFsyncLosesTheWritesWhileReadsStillShowThem() throws IOException {
        var disk = new SimulatedDisk();
        var f = disk.open("log");
        disk.syncDirectory();
        f.append(bytes("commit 1"));
        f.failNextFsync();
        assertThatThrownBy(f::fsync).isInstanceOf(IOException.class).hasMessageContaining("fsync of 'log' failed");
        f.fsync(); // the retry "succeeds"...
        assertThat(new String(f.read(0, 100), StandardCharsets.UTF_8)).isEqualTo("commit 1"); // ...reads look fine...
        assertThat(disk.crashStates(10)).allSatisfy(d -> assertThat(contents(d, "log")).isEmpty()); // ...and the data is gone
    }

    @Test
    void aMissingFsyncIsFoundByEnumeratingCrashStates() throws IOException {
        // the same two-step protocol, with and without its fsync: only exhaustive crash states tell them apart
        assertThat(acknowledgedRecordSurvivesEveryCrash(true)).isTrue();
        assertThat(acknowledgedRecordSurvivesEveryCrash(false)).isFalse();
    }

    private static boolean acknowledgedRecordSurvivesEveryCrash(boolean fsync) throws IOException {
        var disk = new SimulatedDisk();
        var log = disk.open("log");
        disk.syncDirectory();
        log.append(bytes("record-1\n"));
        if (fsync) log.fsync();
        // ...the record is acknowledged to the client here...
        for (SimulatedDisk after : disk.crashStates(100)) {
            if (!new String(contents(after, "log"), StandardCharsets.UTF_8).contains("record-1")) return false;
        }
        return true;
    }

    @Test
    void aRandomCrashIsReplayedByItsSeed() throws IOException {
        var disk = new SimulatedDisk();
        var f = disk.open("log");
        disk.syncDirectory();
        for (int i = 0; i < 20; i++) f.append(filled(700, (char) ('a' + i)));
        byte[] first = contents(disk.crash(new SplittableRandom(5)), "log");
        byte[] again = contents(disk.crash(new SplittableRandom(5)), "log");
        assertThat(again).as("seed 5").isEqualTo(first);
    }

    @Test
    void refusesToEnumerateTooManyStates() throws IOException {
        var disk = new SimulatedDisk();
        var f = disk.open("log");
        disk.syncDirectory();
        for (int i = 0; i < 12; i++) f.append(filled(2048, 'z'));
        assertThatThrownBy(() -> disk.crashStates(1000)).isInstanceOf(IllegalStateException.class).hasMessageContaining("more than 1000");
    }
}
