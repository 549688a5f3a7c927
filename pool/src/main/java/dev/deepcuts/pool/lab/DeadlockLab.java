package dev.deepcuts.pool.lab;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.deepcuts.core.Lab;
import dev.deepcuts.core.LabContext;
import dev.deepcuts.core.LabResult;
import dev.deepcuts.core.Param;
import dev.deepcuts.core.Table;
import dev.deepcuts.core.UsageException;
import dev.deepcuts.pool.ConnectionPool;
import dev.deepcuts.pool.Database;
import dev.deepcuts.pool.PoolStats;

/**
 * Pool-locking deadlock: every task needs two connections at once (it holds one for its
 * transaction and borrows a second, say, for an audit log). With T threads and a pool of P, all T
 * can end up holding one and waiting for a second that never comes: it takes
 * P ≥ T × (connections per task − 1) + 1 to be safe. The fix in code: pass the connection down.
 */
public final class DeadlockLab implements Lab {

    @Override
    public String chapter() {
        return "pool";
    }

    @Override
    public String id() {
        return "deadlock";
    }

    @Override
    public String title() {
        return "pool-locking deadlock: tasks that need two connections at once, against the pool size";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.ofInt("threads", 8, 4, "worker threads"),
                Param.ofDouble("seconds", 4, 1.5, "run time per pool size"),
                Param.ofInt("holdMillis", 5, 5, "time a task holds its first connection before it asks for the second"),
                Param.ofLong("timeoutMillis", 500, 300, "borrow timeout: how a deadlock shows (it never resolves otherwise)"));
    }

    @Override
    public LabResult run(LabContext ctx) throws Exception {
        int threads = ctx.intParam("threads");
        double seconds = ctx.doubleParam("seconds");
        int hold = ctx.intParam("holdMillis");
        long timeout = ctx.longParam("timeoutMillis");
        if (threads < 2 || seconds <= 0 || hold < 0 || timeout < 10) {
            throw new UsageException("need threads >= 2, seconds > 0, holdMillis >= 0, timeoutMillis >= 10");
        }
        int safe = threads + 1;
        var table = Table.of(String.format(Locale.ROOT, "%d threads, each task holding one connection and borrowing a second", threads),
                "pool size", "code", "tasks/s", "borrow timeouts", "nested borrows flagged");
        var b = LabResult.builder();
        boolean deadlocksBelow = true;
        boolean fineAtSafe = true;
        boolean fixedFine = true;
        try (Database db = Database.fromEnvironment()) {
            ctx.log("database: %s", db.describe());
            List<Integer> sizes = new ArrayList<>(List.of(Math.max(1, threads / 2), threads, safe));
            try (var progress = ctx.progress("pool sizes", sizes.size() + 1)) {
                for (int size : sizes) {
                    // region nested
                    try (ConnectionPool pool = new ConnectionPool(db.pool().maxSize(size).minIdle(size)
                            .borrowTimeout(Duration.ofMillis(timeout)).poolName("deadlock-" + size).events(e -> { }).build())) {
                        Load.Result r = Load.run(threads, seconds, 0, (w, n) -> {
                            try (Connection tx = pool.getConnection()) {
                                tx.createStatement().execute("SELECT 1");
                                Load.work(hold);
                                try (Connection audit = pool.getConnection()) {   // a second one, while holding the first
                                    audit.createStatement().execute("SELECT 1");
                                }
                            }
                        });
                        // endregion nested
                        PoolStats s = pool.stats();
                        table.row(size, "borrows a second connection", String.format(Locale.ROOT, "%.0f", r.throughput()), r.timeouts(),
                                s.nestedBorrows());
                        if (size <= threads) {
                            deadlocksBelow &= r.timeouts() > 0;
                        } else {
                            fineAtSafe &= r.timeouts() == 0;
                        }
                        b.metric("timeouts_pool_" + size, r.timeouts(), "timeouts");
                    }
                    progress.step();
                }
                int small = Math.max(1, threads / 2);
                try (ConnectionPool pool = new ConnectionPool(db.pool().maxSize(small).minIdle(small)
                        .borrowTimeout(Duration.ofMillis(timeout)).poolName("fixed").events(e -> { }).build())) {
                    // region fixed
                    Load.Result r = Load.run(threads, seconds, 0, (w, n) -> {
                        try (Connection tx = pool.getConnection()) {
                            tx.createStatement().execute("SELECT 1");
                            Load.work(hold);
                            tx.createStatement().execute("SELECT 1");       // the audit write on the same connection
                        }
                    });
                    // endregion fixed
                    table.row(small, "one connection per task", String.format(Locale.ROOT, "%.0f", r.throughput()), r.timeouts(),
                            pool.stats().nestedBorrows());
                    fixedFine = r.timeouts() == 0 && pool.stats().nestedBorrows() == 0;
                    b.metric("timeouts_fixed", r.timeouts(), "timeouts");
                    progress.step();
                }
            }
            b.table(table);
            b.claim(String.format(Locale.ROOT, "with a pool of %d or fewer for %d threads, tasks that need two connections deadlock "
                    + "(every run ends in borrow timeouts)", threads, threads), deadlocksBelow);
            b.claim(String.format(Locale.ROOT, "with threads x (2 - 1) + 1 = %d connections they never do", safe), fineAtSafe);
            b.claim("passing the connection down instead needs one per task: no deadlock even with half as many connections as threads",
                    fixedFine);
            return b.verdict(String.format(Locale.ROOT, "deadlock at pool <= %d for %d threads, none at %d, none with one connection per task",
                    threads, threads, safe)).build();
        }
    }
}
