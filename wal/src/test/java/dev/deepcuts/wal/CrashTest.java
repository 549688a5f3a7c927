package dev.deepcuts.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.deepcuts.sim.SimulatedDisk;
import dev.deepcuts.wal.WriteAheadLogTest.Rec;

/**
 * The log against power loss, on the simulated disk: a crash before every storage operation of a
 * workload, and for each, every state the disk could be left in (unsynced writes lost, kept, torn
 * at sectors, reordered). Recovery must always start, and always give back a prefix of what was
 * appended that holds every acknowledged record.
 */
class CrashTest {

    static final WalConfig CONFIG = WalConfig.defaults().withSegmentSize(4096).withSpareSegments(1);

    @AfterEach
    void noBug() {
        WriteAheadLog.omitForTests = WriteAheadLog.Omit.NOTHING;
    }

    /**
     * What a workload did before the crash: every record appended, how many were acknowledged, and
     * the checkpoint LSN recovery starts from (segments before it may have been recycled).
     */
    record Run(List<Rec> appended, int acknowledged, int operations, long from) {
        /** The appended records recovery must consider: those at or after the checkpoint. */
        List<Rec> expected() {
            return appended.stream().filter(r -> r.lsn() >= from).toList();
        }

        int acknowledgedExpected() {
            return (int) appended.subList(0, acknowledged).stream().filter(r -> r.lsn() >= from).count();
        }
    }

    /** Appends records of mixed sizes into a few segments, committing some, recycling once; crashes before op {@code crashAt}. */
    static Run workload(SimulatedDisk disk, int crashAt, long seed) {
        return workload(disk, crashAt, seed, false);
    }

    /** {@link #workload}, the log preparing segments on its own thread if {@code background} (as on a real disk). */
    static Run workload(SimulatedDisk disk, int crashAt, long seed, boolean background) {
        PowerCut cut = new PowerCut(new SimStorage(disk), crashAt);
        Storage storage = background ? new BackgroundAllowed(cut) : cut;
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Rec> appended = new ArrayList<>();
        int acked = 0;
        long from = 0;
        try (WriteAheadLog log = WriteAheadLog.open(storage, CONFIG, 0, (l, t, d, o, n) -> { })) {
            for (int i = 0; i < 14; i++) {
                byte[] p = WriteAheadLogTest.payload(rnd, i % 4 == 0 ? 1800 : 300);
                long lsn = log.append(1 + i, p);
                appended.add(new Rec(lsn, 1 + i, p));
                if (i % 3 == 2 || i == 13) {
                    log.commit(lsn);
                    acked = appended.size();
                }
                if (i == 9) {
                    from = appended.get(6).lsn();          // a checkpoint: recovery starts here from now on
                    log.releaseBefore(from);
                }
            }
        } catch (PowerCut.Crash | WalFailedException e) {
            // power lost: whatever was acknowledged must survive
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return new Run(appended, acked, cut.operations(), from);
    }

    /** The simulated disk, let be called from the log's preparer thread (safe while no test crashes it with the log open). */
    static final class BackgroundAllowed extends ForwardingStorage {
        BackgroundAllowed(Storage inner) {
            super(inner);
        }
    }

    @Test
    void survivesACrashAtEveryPointWithSegmentsPreparedInTheBackground() throws IOException {
        // the preparer races the flusher, so which operation comes n-th varies between runs: every
        // run is checked in every disk state all the same, and the crash lands in preparations too
        int total = workload(new SimulatedDisk(), Integer.MAX_VALUE, 7, true).operations();
        long states = 0;
        for (int crashAt = 0; crashAt <= total + 5; crashAt++) {
            SimulatedDisk disk = new SimulatedDisk();
            Run run = workload(disk, crashAt, 7, true);
            for (SimulatedDisk after : disk.crashStates(200)) {
                checkRecovers(after, run, "background preparation, crash before operation " + crashAt);
                states++;
            }
        }
        assertThat(states).isGreaterThan(total);
    }

    /** Recovers {@code disk} and checks it: a prefix of what was appended, with everything acknowledged. */
    static List<Rec> checkRecovers(SimulatedDisk disk, Run run, String where) throws IOException {
        List<Rec> got = WriteAheadLogTest.collect(new SimStorage(disk), CONFIG, run.from());
        assertThat(got.size()).as("%s: acknowledged records lost", where).isGreaterThanOrEqualTo(run.acknowledgedExpected());
        assertThat(got).as("%s: not a prefix of what was appended", where)
                .containsExactlyElementsOf(run.expected().subList(0, Math.min(got.size(), run.expected().size())));
        assertThat(got.size()).as("%s: more records than were appended", where).isLessThanOrEqualTo(run.expected().size());
        return got;
    }

    // region crash-every-point
    @Test
    void survivesACrashBeforeEveryStorageOperationInEveryDiskState() throws IOException {
        int total = workload(new SimulatedDisk(), Integer.MAX_VALUE, 7).operations();
        long states = 0;
        for (int crashAt = 0; crashAt <= total; crashAt++) {
            SimulatedDisk disk = new SimulatedDisk();
            Run run = workload(disk, crashAt, 7);
            for (SimulatedDisk after : disk.crashStates(200)) {
                checkRecovers(after, run, "crash before operation " + crashAt + " of " + total);
                states++;
            }
        }
        assertThat(states).isGreaterThan(total);
    }
    // endregion crash-every-point

    @Test
    void survivesRandomCrashesAndCrashesDuringRecovery() throws IOException {
        for (long seed = 0; seed < 150; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int total = workload(new SimulatedDisk(), Integer.MAX_VALUE, seed).operations();
            SimulatedDisk disk = new SimulatedDisk();
            Run run = workload(disk, rnd.nextInt(total + 1), seed);
            SimulatedDisk after = disk.crash(rnd);
            List<Rec> first = checkRecovers(after, run, "seed " + seed);
            // write more after recovery, crash again: stale bytes of the first crash must never come back
            List<Rec> appended = new ArrayList<>(first);
            int acked = first.size();
            try (WriteAheadLog log = WriteAheadLog.open(new SimStorage(after), CONFIG, run.from(), (l, t, d, o, n) -> { })) {
                for (int i = 0; i < 6; i++) {
                    byte[] p = WriteAheadLogTest.payload(rnd, 700);
                    long lsn = log.append(100 + i, p);
                    appended.add(new Rec(lsn, 100 + i, p));
                    if (rnd.nextBoolean()) {
                        log.commit(lsn);
                        acked = appended.size();
                    }
                }
                checkRecovers(after.crash(rnd), new Run(appended, acked, 0, run.from()), "seed " + seed + ", second crash");
            }
        }
    }

    @Test
    void recordsOfAFlushCutOffByACrashNeverComeBack() throws IOException {
        // a flush spanning two segments: the crash may keep its second half and lose its first
        int states = 0;
        int tornStates = 0;
        int total;
        {
            SimulatedDisk probe = new SimulatedDisk();
            PowerCut counting = new PowerCut(new SimStorage(probe), Integer.MAX_VALUE);
            spanningFlush(counting);
            total = counting.operations();
        }
        for (int crashAt = 0; crashAt <= total; crashAt++) {
            SimulatedDisk disk = new SimulatedDisk();
            spanningFlush(new PowerCut(new SimStorage(disk), crashAt));
            for (SimulatedDisk after : disk.crashStates(400)) {
                states++;
                SimStorage storage = new SimStorage(after);
                List<Rec> again = new ArrayList<>();
                long end;
                try (WriteAheadLog log = WriteAheadLog.open(storage, CONFIG, 0, (l, t, d, o, n) -> again.add(new Rec(l, t, java.util.Arrays.copyOfRange(d, o, o + n))))) {
                    tornStates += log.recovery().tornTail() ? 1 : 0;
                    // append records of the very sizes that were lost, so new records land where old ones were
                    for (int size : new int[] {900, 500}) {
                        byte[] p = new byte[size];
                        java.util.Arrays.fill(p, (byte) 7);
                        long lsn = log.append(99, p);
                        log.commit(lsn);
                        again.add(new Rec(lsn, 99, p));
                    }
                    end = log.endLsn();
                }
                List<Rec> got = WriteAheadLogTest.collect(storage, CONFIG, 0);
                assertThat(got).as("crash before op %d: only what was there plus what was appended since", crashAt)
                        .containsExactlyElementsOf(again);
                assertThat(end).isPositive();
            }
        }
        assertThat(tornStates).as("some states had a torn flush (of %d)", states).isPositive();
    }

    /** One synced record that nearly fills segment 0, then one flush of three records that spills into segment 1. */
    private static void spanningFlush(Storage storage) {
        try (WriteAheadLog log = WriteAheadLog.open(storage, CONFIG, 0, (l, t, d, o, n) -> { })) {
            log.commit(log.append(1, new byte[3000]));
            log.append(2, new byte[900]);
            log.append(3, new byte[500]);
            log.commit(log.append(4, new byte[500]));
        } catch (PowerCut.Crash | WalFailedException e) {
            // power lost
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // region missing-fsync
    @Test
    void aMissingDirectorySyncIsInvisibleToKill9ButCrashEnumerationFindsIt() throws IOException {
        WriteAheadLog.omitForTests = WriteAheadLog.Omit.DIRECTORY_SYNC;
        SimulatedDisk disk = new SimulatedDisk();
        Run run = workload(disk, Integer.MAX_VALUE, 7);
        // power loss: some state loses a segment whose directory entry was never synced
        List<SimulatedDisk> powerLosses = disk.crashStates(500);
        // kill -9: the process dies, the kernel's page cache (and the new directory entries) survive
        // (checked after the enumeration: recovering syncs what it read, so it changes the disk)
        checkRecovers(disk, run, "after kill -9");
        boolean lost = false;
        for (SimulatedDisk after : powerLosses) {
            List<Rec> got = WriteAheadLogTest.collect(new SimStorage(after), CONFIG, run.from());
            lost |= got.size() < run.acknowledgedExpected();
        }
        assertThat(lost).as("some crash state loses acknowledged records").isTrue();
    }
    // endregion missing-fsync

    @Test
    void aMissingDataSyncIsFoundToo() throws IOException {
        WriteAheadLog.omitForTests = WriteAheadLog.Omit.SEGMENT_SYNC;
        SimulatedDisk disk = new SimulatedDisk();
        Run run = workload(disk, Integer.MAX_VALUE, 7);
        // every write is unsynced now: too many states to enumerate, so sample power losses instead
        List<SimulatedDisk> powerLosses = new ArrayList<>();
        for (long seed = 0; seed < 50; seed++) {
            powerLosses.add(disk.crash(new SplittableRandom(seed)));
        }
        checkRecovers(disk, run, "after kill -9");
        int lost = 0;
        for (SimulatedDisk after : powerLosses) {
            try {
                lost += WriteAheadLogTest.collect(new SimStorage(after), CONFIG, run.from()).size() < run.acknowledgedExpected() ? 1 : 0;
            } catch (WalCorruptedException e) {
                lost++;                                      // unsynced "durable" data torn: also a loss
            }
        }
        assertThat(lost).as("power losses that lose acknowledged records").isPositive();
    }
}
