package dev.deepcuts.wal.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
 * kill -9, a thousand times: a child JVM commits to the store and acknowledges each commit to this
 * process over a pipe; this process kills it with SIGKILL at a random moment, opens the store
 * itself, and checks that every acknowledged commit is there and that nothing half-written is
 * visible. Then the next child recovers the store and goes on.
 */
public final class CrashLab implements Lab {

    @Override
    public String chapter() {
        return "wal";
    }

    @Override
    public String id() {
        return "crash";
    }

    @Override
    public String title() {
        return "kill -9 a committing child process at random moments: every acknowledged commit survives";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.ofInt("cycles", 1000, 8, "kill-and-recover cycles"),
                Param.ofInt("minMillis", 5, 5, "shortest time a child commits before it is killed (ms)"),
                Param.ofInt("maxMillis", 150, 100, "longest time a child commits before it is killed (ms)"),
                Param.ofInt("keys", 50_000, 50_000, "distinct keys (commit n writes key n mod keys, so the store stays bounded)"));
    }

    static KvStore.Config config() {
        return KvStore.Config.defaults().withPages(4096).withBufferPages(512).withWal(WalConfig.defaults().withSegmentSize(4 << 20));
    }

    static byte[] key(long n, int keys) {
        return ("k" + (n % keys)).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] value(long n) {
        return ("v" + n).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public LabResult run(LabContext ctx) throws Exception {
        int cycles = ctx.intParam("cycles");
        int minMillis = ctx.intParam("minMillis");
        int maxMillis = ctx.intParam("maxMillis");
        int keys = ctx.intParam("keys");
        if (cycles < 1 || minMillis < 0 || maxMillis < minMillis || keys < 1) {
            throw new UsageException("need cycles >= 1, 0 <= minMillis <= maxMillis, keys >= 1");
        }
        Path dir = ctx.workDir();
        SplittableRandom rnd = ctx.random("kills");
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classpath = System.getProperty("java.class.path");
        long next = 0;                   // the first commit number of the next child
        long acknowledged = 0;
        long lost = 0;
        long garbage = 0;
        long tornTails = 0;
        long unacknowledgedButThere = 0;
        long recoveryNanos = 0;
        List<String> problems = new ArrayList<>();
        try (var progress = ctx.progress("kill -9 cycles", cycles)) {
            for (int c = 0; c < cycles; c++) {
                // region kill-cycle
                Process child = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                        CrashChild.class.getName(), dir.toString(), Long.toString(next), Integer.toString(keys))
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                AtomicLong lastAck = new AtomicLong(next - 1);
                var ready = new java.util.concurrent.CountDownLatch(1);
                Thread reader = Thread.ofPlatform().daemon().start(() -> readAcks(child, lastAck, ready));
                if (!ready.await(60, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                    throw new IOException("the child did not start within 60 s (cycle " + c + ")");
                }
                Thread.sleep(minMillis + rnd.nextInt(maxMillis - minMillis + 1));
                child.destroyForcibly();                          // SIGKILL: no shutdown hook, no flush, no close
                child.waitFor();
                reader.join();
                long acked = lastAck.get();                       // every commit up to here was promised durable
                // endregion kill-cycle
                acknowledged += acked - next + 1;
                long t0 = System.nanoTime();
                try (KvStore store = KvStore.open(new FileStorage(dir), config())) {
                    recoveryNanos += System.nanoTime() - t0;
                    tornTails += store.recovery().log().tornTail() ? 1 : 0;
                    // the commits acknowledged in this cycle; every 100 cycles and at the end, all there are
                    boolean sweep = c % 100 == 99 || c == cycles - 1;
                    for (long n = sweep ? Math.max(0, acked - keys + 1) : next; n <= acked; n++) {
                        byte[] v = store.get(key(n, keys));
                        long m = v == null ? -1 : parse(v);
                        if (m == Long.MIN_VALUE) {
                            garbage++;
                            problems.add("cycle " + c + ": key of commit " + n + " holds garbage");
                        } else if (m < n || m % keys != n % keys) {
                            lost++;
                            problems.add("cycle " + c + ": acknowledged commit " + n + " lost (found " + m + ")");
                        }
                    }
                    // a commit the child made but was killed before acknowledging may or may not be there
                    byte[] after = store.get(key(acked + 1, keys));
                    if (after != null && parse(after) == acked + 1) {
                        unacknowledgedButThere++;
                    }
                }
                next = acked + 1;                                 // the next child rewrites it if it was there
                progress.step();
            }
        }
        deleteTree(dir);
        var table = Table.of(String.format(Locale.ROOT, "%d kill -9 cycles, child killed %d-%d ms after it recovered", cycles, minMillis, maxMillis),
                "measure", "value");
        table.row("commits acknowledged to the parent", acknowledged);
        table.row("acknowledged commits lost", lost);
        table.row("keys holding garbage", garbage);
        table.row("torn log tails cut off at recovery", tornTails);
        table.row("commits done but killed before their ACK, found anyway", unacknowledgedButThere);
        table.row("mean recovery time in the parent (ms)", String.format(Locale.ROOT, "%.1f", recoveryNanos / 1e6 / cycles));
        var b = LabResult.builder();
        b.table(table);
        problems.stream().limit(10).forEach(p -> ctx.log("%s", p));
        b.metric("cycles", cycles, "cycles");
        b.metric("acknowledged", acknowledged, "commits");
        b.metric("lost", lost, "commits");
        b.metric("garbage", garbage, "keys");
        b.metric("torn_tails", tornTails, "cycles");
        b.metric("unacknowledged_present", unacknowledgedButThere, "commits");
        b.claim(String.format(Locale.ROOT, "no acknowledged commit lost in %d kill -9 cycles (%d acknowledged)", cycles, acknowledged),
                lost == 0 && acknowledged > 0);
        b.claim("nothing half-written is ever visible: every key holds a complete value written by a commit", garbage == 0);
        return b.verdict(String.format(Locale.ROOT, "%d cycles, %d commits acknowledged, %d lost, %d torn tails cut off",
                cycles, acknowledged, lost, tornTails)).build();
    }

    private static void readAcks(Process child, AtomicLong lastAck, java.util.concurrent.CountDownLatch ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("READY")) {
                    ready.countDown();
                } else if (line.startsWith("ACK ")) {
                    lastAck.set(Long.parseLong(line.substring(4)));   // a line cut by the kill has no newline: never read
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the pipe breaks when the child dies
        } finally {
            ready.countDown();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (var files = java.nio.file.Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        }
    }

    private static long parse(byte[] v) {
        String s = new String(v, StandardCharsets.US_ASCII);
        if (!s.startsWith("v")) {
            return Long.MIN_VALUE;
        }
        try {
            return Long.parseLong(s.substring(1));
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }
}
