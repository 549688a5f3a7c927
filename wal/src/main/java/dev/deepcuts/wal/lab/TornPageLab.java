package dev.deepcuts.wal.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.deepcuts.core.Lab;
import dev.deepcuts.core.LabContext;
import dev.deepcuts.core.LabResult;
import dev.deepcuts.core.Param;
import dev.deepcuts.core.Table;
import dev.deepcuts.core.UsageException;
import dev.deepcuts.sim.SimulatedDisk;
import dev.deepcuts.wal.CorruptPageException;
import dev.deepcuts.wal.KvStore;
import dev.deepcuts.wal.PowerCut;
import dev.deepcuts.wal.SimStorage;
import dev.deepcuts.wal.WalConfig;

/**
 * A checkpoint is writing pages when the power goes out: a 4 KiB page is eight 512-byte sectors,
 * and the disk may have written some of them. Every state the crash could leave is recovered, with
 * full-page images off and on: off, the torn page is caught by its checksum but cannot be rebuilt;
 * on, the log holds a whole copy of it and recovery repairs it. And what the images cost in log bytes.
 */
public final class TornPageLab implements Lab {

    @Override
    public String chapter() {
        return "wal";
    }

    @Override
    public String id() {
        return "torn-page";
    }

    @Override
    public String title() {
        return "power lost while a checkpoint writes pages: torn pages with full-page images off and on";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.ofInt("keys", 400, 400, "keys written before the first checkpoint"),
                Param.ofInt("changed", 2, 2, "keys changed after it (their pages are being written when the power goes)"),
                Param.ofInt("maxStates", 5000, 5000, "most crash states to enumerate"));
    }

    /** The outcome of one configuration. */
    record Outcome(int states, int tornStates, int recovered, int refused, int wrong, long logBytes) {}

    @Override
    public LabResult run(LabContext ctx) throws IOException {
        int keys = ctx.intParam("keys");
        int changed = ctx.intParam("changed");
        int maxStates = ctx.intParam("maxStates");
        if (keys < 1 || changed < 1 || changed > keys || maxStates < 1) {
            throw new UsageException("need keys >= 1, 1 <= changed <= keys, maxStates >= 1; got keys=" + keys + ", changed=" + changed);
        }
        Outcome off = run(false, keys, changed, maxStates);
        Outcome on = run(true, keys, changed, maxStates);
        var table = Table.of("Every state a crash during the checkpoint's page writes can leave, recovered",
                "full-page images", "crash states", "with a torn page", "recovered, all data right", "refused: page unrecoverable",
                "recovered WRONG", "log bytes of the workload");
        table.row("off", off.states(), off.tornStates(), off.recovered(), off.refused(), off.wrong(), off.logBytes());
        table.row("on", on.states(), on.tornStates(), on.recovered(), on.refused(), on.wrong(), on.logBytes());
        var b = LabResult.builder();
        b.table(table);
        b.metric("states", on.states(), "states");
        b.metric("torn_states_off", off.tornStates(), "states");
        b.metric("refused_off", off.refused(), "states");
        b.metric("torn_states_on", on.tornStates(), "states");
        b.metric("recovered_on", on.recovered(), "states");
        b.metric("log_bytes_off", off.logBytes(), "bytes");
        b.metric("log_bytes_on", on.logBytes(), "bytes");
        b.metric("image_cost", (double) on.logBytes() / off.logBytes(), "×");
        b.claim(String.format(Locale.ROOT, "without full-page images a crash can tear a page beyond repair: %d of %d states refused, "
                + "every one caught by the page checksum (none recovered with wrong data)", off.refused(), off.states()),
                off.refused() > 0 && off.wrong() == 0);
        b.claim(String.format(Locale.ROOT, "with full-page images every one of the %d states recovers with all committed data, "
                + "the %d with a torn page included", on.states(), on.tornStates()),
                on.recovered() == on.states() && on.tornStates() > 0 && on.wrong() == 0);
        return b.verdict(String.format(Locale.ROOT, "images off: %d/%d states unrecoverable; on: %d/%d recovered; images cost %.2f× the log bytes",
                off.refused(), off.states(), on.recovered(), on.states(), (double) on.logBytes() / off.logBytes())).build();
    }

    // region torn-page
    private static Outcome run(boolean images, int keys, int changed, int maxStates) throws IOException {
        KvStore.Config config = KvStore.Config.defaults().withPages(8).withBufferPages(64).withFullPageWrites(images)
                .withWal(WalConfig.defaults().withSegmentSize(1 << 20));
        SimulatedDisk disk = new SimulatedDisk();
        boolean[] armed = {false};
        // the power goes out when the checkpoint syncs the data file: its page writes are issued, not durable
        PowerCut storage = new PowerCut(new SimStorage(disk), (n, op, file) -> armed[0] && op.equals("sync") && file.equals("data"));
        Map<String, String> committed = new HashMap<>();
        long logBytes;
        KvStore store = KvStore.open(storage, config);
        long start = store.log().endLsn();
        KvStore.Txn fill = store.begin();
        for (int k = 0; k < keys; k++) {
            fill.put(bytes("key" + k), bytes("value " + k));
            committed.put("key" + k, "value " + k);
        }
        fill.commit();
        store.checkpoint();                                   // pages on disk, a redo point after them
        KvStore.Txn change = store.begin();
        for (int k = 0; k < changed; k++) {
            change.put(bytes("key" + k), bytes("changed " + k));
            committed.put("key" + k, "changed " + k);
        }
        change.commit();                                      // durable in the log: must survive
        logBytes = store.log().endLsn() - start;
        armed[0] = true;
        try {
            store.checkpoint();                               // writes the changed pages... and the power goes
            throw new IllegalStateException("the power cut did not happen");
        } catch (PowerCut.Crash expected) {
            // every state the disk may be in now
        }
        int states = 0;
        int torn = 0;
        int recovered = 0;
        int refused = 0;
        int wrong = 0;
        for (SimulatedDisk after : disk.crashStates(maxStates)) {
            states++;
            SimStorage s = new SimStorage(after);
            if (!KvStore.tornPages(s, config).isEmpty()) {
                torn++;
            }
            try (KvStore recoveredStore = KvStore.open(s, config)) {
                boolean right = true;
                for (var e : committed.entrySet()) {
                    byte[] v = recoveredStore.get(bytes(e.getKey()));
                    right &= v != null && new String(v, StandardCharsets.UTF_8).equals(e.getValue());
                }
                if (right) {
                    recovered++;
                } else {
                    wrong++;
                }
            } catch (CorruptPageException e) {
                refused++;                                    // caught by the checksum: loud, not silent
            }
        }
        return new Outcome(states, torn, recovered, refused, wrong, logBytes);
    }
    // endregion torn-page

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
