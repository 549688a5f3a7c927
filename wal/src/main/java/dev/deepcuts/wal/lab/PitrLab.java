package dev.deepcuts.wal.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import dev.deepcuts.core.Lab;
import dev.deepcuts.core.LabContext;
import dev.deepcuts.core.LabResult;
import dev.deepcuts.core.Param;
import dev.deepcuts.core.Table;
import dev.deepcuts.core.UsageException;
import dev.deepcuts.wal.FileStorage;
import dev.deepcuts.wal.KvStore;
import dev.deepcuts.wal.WalConfig;

/**
 * Point-in-time recovery: a bank's accounts take a base backup, then a transfer every second,
 * archived segment by segment; at some moment someone deletes every account by mistake, and work
 * goes on. Restoring the backup and replaying the archive up to just before the mistake brings
 * the accounts back exactly as they were then — and loses what came after, which is the price.
 */
public final class PitrLab implements Lab {

    @Override
    public String chapter() {
        return "wal";
    }

    @Override
    public String id() {
        return "pitr";
    }

    @Override
    public String title() {
        return "point-in-time recovery: every account deleted by mistake at time T, restored to just before T";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.ofInt("accounts", 200, 50, "bank accounts, 1000 each to start with"),
                Param.ofInt("seconds", 600, 60, "seconds of transfers (one a second) after the base backup"),
                Param.ofDouble("mistakeAt", 0.6, 0.6, "when the mistake happens, as a fraction of the run"));
    }

    /** A clock the lab moves by hand: transactions get the times of the story, not of the machine. */
    static final class ManualClock extends Clock {
        private Instant now;

        ManualClock(Instant start) {
            now = start;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Override
    public LabResult run(LabContext ctx) throws IOException {
        int accounts = ctx.intParam("accounts");
        int seconds = ctx.intParam("seconds");
        double mistakeAt = ctx.doubleParam("mistakeAt");
        if (accounts < 2 || seconds < 4 || mistakeAt <= 0 || mistakeAt >= 1) {
            throw new UsageException("need accounts >= 2, seconds >= 4 and 0 < mistakeAt < 1");
        }
        Path root = ctx.workDir();
        Instant t0 = Instant.parse("2026-03-14T09:00:00Z");
        ManualClock clock = new ManualClock(t0);
        KvStore.Config config = KvStore.Config.defaults().withPages(256).withClock(clock)
                .withWal(WalConfig.defaults().withSegmentSize(64 << 10));
        SplittableRandom rnd = ctx.random("transfers");
        Map<String, Long> state = new HashMap<>();
        Map<String, Long> beforeMistake = null;
        Instant mistake = t0.plusSeconds((long) (seconds * mistakeAt)).plusMillis(500);
        int lostAfter = 0;
        long backupEnd;
        try (KvStore live = KvStore.open(new FileStorage(root.resolve("live")), config)) {
            live.log().archiveTo(new FileStorage(root.resolve("archive")));
            KvStore.Txn open = live.begin();
            for (int a = 0; a < accounts; a++) {
                open.put(key(a), number(1000));
                state.put("acct" + a, 1000L);
            }
            open.commit();
            clock.set(t0.plusMillis(200));
            backupEnd = live.backup(new FileStorage(root.resolve("backup")));       // the nightly base backup
            // region pitr-story
            for (int s = 1; s <= seconds; s++) {
                Instant now = t0.plusSeconds(s);
                if (beforeMistake == null && now.isAfter(mistake)) {
                    beforeMistake = new HashMap<>(state);
                    clock.set(mistake);
                    KvStore.Txn oops = live.begin();                                  // DELETE FROM accounts; -- no WHERE
                    for (int a = 0; a < accounts; a++) {
                        oops.delete(key(a));
                    }
                    oops.commit();
                    state.clear();
                }
                clock.set(now);
                int from = rnd.nextInt(accounts);
                int to = (from + 1 + rnd.nextInt(accounts - 1)) % accounts;
                long amount = 1 + rnd.nextInt(100);
                KvStore.Txn t = live.begin();
                byte[] f = t.get(key(from));
                byte[] g = t.get(key(to));
                if (f != null && g != null) {                                       // after the mistake: nothing to move
                    t.put(key(from), number(parse(f) - amount)).put(key(to), number(parse(g) + amount));
                    state.merge("acct" + from, -amount, Long::sum);
                    state.merge("acct" + to, amount, Long::sum);
                }
                t.put(("log" + s).getBytes(StandardCharsets.US_ASCII), number(amount));   // every second leaves a trace
                t.commit();
                if (beforeMistake != null) {
                    lostAfter++;
                }
            }
            live.log().archiveNow();                                                  // pg_switch_wal: ship the last segment
            // endregion pitr-story
        }
        long archived;
        try (var names = Files.list(root.resolve("archive"))) {
            archived = names.count();
        }
        // region pitr-restore
        KvStore.RestoreReport report = KvStore.restore(new FileStorage(root.resolve("backup")), new FileStorage(root.resolve("archive")),
                new FileStorage(root.resolve("restored")), config, mistake);
        // endregion pitr-restore
        int matching = 0;
        long total = 0;
        boolean traceOfLater = false;
        try (KvStore restored = KvStore.open(new FileStorage(root.resolve("restored")), config)) {
            for (int a = 0; a < accounts; a++) {
                byte[] v = restored.get(key(a));
                long want = beforeMistake.get("acct" + a);
                if (v != null && parse(v) == want) {
                    matching++;
                }
                total += v == null ? 0 : parse(v);
            }
            int mistakeSecond = (int) ((mistake.toEpochMilli() - t0.toEpochMilli()) / 1000);
            traceOfLater = restored.get(("log" + (mistakeSecond + 1)).getBytes(StandardCharsets.US_ASCII)) != null;
        }
        deleteTree(root);

        var table = Table.of("Restoring the backup and the archive to just before the mistake", "measure", "value");
        table.row("base backup taken at", t0.plusMillis(200) + " (ends at LSN " + dev.deepcuts.wal.WalDump.lsn(backupEnd) + ")");
        table.row("the mistake: every account deleted at", mistake.toString());
        table.row("archived segments", archived);
        table.row("restore target", "just before " + mistake);
        table.row("log cut at LSN", dev.deepcuts.wal.WalDump.lsn(report.stopLsn()));
        table.row("last transaction replayed", report.lastTxid() + ", committed at " + report.lastCommitTime());
        table.row("commits replayed after the backup", report.commitsAfterBackup());
        table.row("accounts as they were before the mistake", matching + " of " + accounts);
        table.row("total balance after restore", total + " (started at " + 1000L * accounts + ")");
        table.row("transactions after the mistake, lost by the restore", lostAfter);
        var b = LabResult.builder();
        b.table(table);
        b.metric("accounts", accounts, "accounts");
        b.metric("matching", matching, "accounts");
        b.metric("commits_replayed", report.commitsAfterBackup(), "commits");
        b.metric("lost_after", lostAfter, "commits");
        b.metric("archived_segments", archived, "segments");
        b.claim(String.format(Locale.ROOT, "after the restore every account holds what it held just before the mistake (%d of %d)", matching, accounts),
                matching == accounts);
        b.claim("money is conserved: the balances add up to what the bank started with", total == 1000L * accounts);
        b.claim(String.format(Locale.ROOT, "the %d transactions after the mistake are gone too: point-in-time recovery rewinds everything", lostAfter),
                !traceOfLater && lostAfter > 0);
        return b.verdict(String.format(Locale.ROOT, "restored to %s: %d/%d accounts as before the mistake, %d commits replayed from %d archived segments, %d later ones lost",
                report.lastCommitTime(), matching, accounts, report.commitsAfterBackup(), archived, lostAfter)).build();
    }

    private static byte[] key(int a) {
        return ("acct" + a).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] number(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    private static long parse(byte[] v) {
        return Long.parseLong(new String(v, StandardCharsets.US_ASCII));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
