package dev.deepcuts.bench.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

/**
 * The fairness case: more threads than connections, each borrowing, holding the connection a fixed
 * time, giving it back, in a loop; every borrow's wait is recorded. Not JMH: what is measured is
 * the distribution of waits of milliseconds, not nanoseconds of code.
 *
 * <p>With {@code N} threads on {@code P} connections held {@code h} each, the pool is always
 * saturated: {@code P} threads hold, {@code N - P} wait. Little's law then fixes the mean wait
 * whatever the pool does, {@code W = (N - P) / λ} with {@code λ} the measured borrow rate (about
 * {@code (N/P - 1) h}); fairness decides the spread around it. First come, first served gives every
 * borrower about {@code W}; a pool that lets a returning thread take its connection straight back
 * ("barging") gives many borrowers no wait at all and a few a very long one.
 */
final class Fairness {

    /*
     * How it measures.
     *
     * A pool of P connections is opened and filled, then N platform threads start together and loop:
     * read the clock, borrow, read the clock (the wait), hold (park until h has passed, re-parking
     * after an early wake-up), give back, and at once borrow again. A warm-up period runs first and
     * is not recorded; then every borrow that starts inside the measurement window is: its wait into
     * the thread's own HdrHistogram (microseconds, 3 significant digits), or, when it fails after
     * about the borrow timeout, one timeout. The histograms are merged once the threads have stopped.
     * Each pool is opened afresh for each run; runs of different pools interleave (with a rotating
     * order), and the bench reports the median of each figure over the repeats.
     */

    /**
     * The shape of the case.
     *
     * @param threads       borrowing threads
     * @param poolSize      connections
     * @param hold          how long each borrow holds its connection
     * @param borrowTimeout the same for every pool
     * @param warmup        run, not recorded
     * @param measure       the measurement window
     * @param repeats       runs per pool
     */
    record Settings(int threads, int poolSize, Duration hold, Duration borrowTimeout, Duration warmup, Duration measure,
                    int repeats) {
        Settings {
            if (threads <= poolSize || poolSize < 1) {
                throw new IllegalArgumentException("fairness needs more threads than connections, got " + threads
                        + " threads on " + poolSize + " connections");
            }
        }

        /** Threads per connection: 8 means 8x oversubscribed. */
        double oversubscription() {
            return (double) threads / poolSize;
        }

        /** "64 threads on 8 connections, hold 1 ms" */
        String describe() {
            return threads + " threads on " + poolSize + " connections, hold " + hold.toMillis() + " ms";
        }
    }

    /**
     * One run of one pool.
     *
     * @param contender   the pool
     * @param waits       the waits of successful borrows, in microseconds
     * @param timeouts    borrows that failed after about the borrow timeout
     * @param errors      borrows that failed otherwise (should be none)
     * @param seconds     length of the measurement window
     * @param meanHoldMicros mean time a connection was actually held (the park overshoots a little)
     */
    record Run(Contender contender, Histogram waits, long timeouts, long errors, double seconds, double meanHoldMicros,
               Settings settings) {

        long borrows() {
            return waits.getTotalCount();
        }

        /** Borrows per second. */
        double throughput() {
            return borrows() / seconds;
        }

        /** Little's law: {@code (N - P) / λ}, in microseconds: the mean wait of a saturated pool. */
        double littleMicros() {
            return (settings.threads() - settings.poolSize()) / throughput() * 1e6;
        }

        double p50Micros() {
            return waits.getValueAtPercentile(50);
        }

        double p99Micros() {
            return waits.getValueAtPercentile(99);
        }

        double maxMicros() {
            return waits.getMaxValue();
        }

        double meanMicros() {
            return waits.getMean();
        }

        /** p99 over the Little's-law mean: about 1 when first come, first served. */
        double p99OverLittle() {
            return p99Micros() / littleMicros();
        }

        String describe() {
            return String.format(Locale.ROOT,
                    "%-9s wait median %7.2f ms, p99 %7.2f ms, max %7.1f ms, mean %6.2f ms (Little %5.2f ms, p99/Little %5.2f), "
                            + "%d timeouts, %,.0f borrows/s, hold %.2f ms",
                    contender.family.label, p50Micros() / 1e3, p99Micros() / 1e3, maxMicros() / 1e3, meanMicros() / 1e3,
                    littleMicros() / 1e3, p99OverLittle(), timeouts, throughput(), meanHoldMicros / 1e3)
                    + (errors > 0 ? ", " + errors + " other errors" : "");
        }
    }

    private Fairness() {
    }

    /** Runs the case once on {@code contender}, over {@code jdbcUrl}. */
    static Run run(Contender contender, String jdbcUrl, Settings s) throws Exception {
        try (Contender.Pool pool = contender.open(jdbcUrl, s.poolSize(), s.borrowTimeout())) {
            var ds = pool.dataSource();
            long holdNanos = s.hold().toNanos();
            long timeoutNanos = s.borrowTimeout().toNanos();
            var start = new CountDownLatch(1);
            var workers = new Worker[s.threads()];
            long[] window = new long[2];
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < workers.length; i++) {
                Worker w = new Worker();
                workers[i] = w;
                threads.add(Thread.ofPlatform().name("fairness-" + i).daemon().start(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    long from = window[0];
                    long to = window[1];
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 - to >= 0) {
                            return;
                        }
                        boolean recorded = t0 - from >= 0;
                        Connection c;
                        try {
                            c = ds.getConnection();
                        } catch (SQLException e) {
                            if (recorded) {
                                if (System.nanoTime() - t0 >= timeoutNanos * 9 / 10) {
                                    w.timeouts++;
                                } else {
                                    w.errors++;
                                    w.lastError = e;
                                }
                            }
                            continue;
                        }
                        long t1 = System.nanoTime();
                        long until = t1 + holdNanos;
                        long now;
                        while ((now = System.nanoTime()) - until < 0) {
                            LockSupport.parkNanos(until - now);
                        }
                        try {
                            c.close();
                        } catch (SQLException e) {
                            w.errors++;
                            w.lastError = e;
                        }
                        if (recorded) {
                            w.waits.recordValue(Math.max(0, (t1 - t0) / 1000));
                            w.holdNanos += now - t1;
                        }
                    }
                }));
            }
            long begin = System.nanoTime();
            window[0] = begin + s.warmup().toNanos();
            window[1] = window[0] + s.measure().toNanos();
            start.countDown(); // publishes window to the workers
            for (Thread t : threads) {
                t.join(s.warmup().toMillis() + s.measure().toMillis() + 2 * s.borrowTimeout().toMillis() + 10_000);
                if (t.isAlive()) {
                    throw new IllegalStateException("fairness: a borrowing thread of " + contender.label + " did not stop");
                }
            }
            Histogram all = new Histogram(3_600_000_000L, 3);
            long timeouts = 0;
            long errors = 0;
            long hold = 0;
            SQLException lastError = null;
            for (Worker w : workers) {
                all.add(w.waits);
                timeouts += w.timeouts;
                errors += w.errors;
                hold += w.holdNanos;
                lastError = w.lastError != null ? w.lastError : lastError;
            }
            if (all.getTotalCount() == 0) {
                throw new IllegalStateException("fairness: no borrow of " + contender.label + " succeeded"
                        + (lastError != null ? ": " + lastError : ""));
            }
            return new Run(contender, all, timeouts, errors, (window[1] - window[0]) / 1e9,
                    hold / 1e3 / all.getTotalCount(), s);
        }
    }

    /** One borrowing thread's records, read only after it stopped. */
    private static final class Worker {
        final Histogram waits = new Histogram(3_600_000_000L, 3);
        long timeouts;
        long errors;
        long holdNanos;
        SQLException lastError;
    }

    /**
     * Every contender {@code settings.repeats()} times, interleaved: round r runs them in order,
     * starting from the r-th. Returns the runs of each, in the contenders' order.
     */
    static List<List<Run>> interleaved(List<Contender> contenders, String jdbcUrl, Settings settings,
                                      java.util.function.Consumer<Run> onRun) throws Exception {
        List<List<Run>> runs = new ArrayList<>();
        for (int i = 0; i < contenders.size(); i++) {
            runs.add(new ArrayList<>());
        }
        for (int r = 0; r < settings.repeats(); r++) {
            for (int k = 0; k < contenders.size(); k++) {
                int i = (r + k) % contenders.size();
                Run run = run(contenders.get(i), jdbcUrl, settings);
                runs.get(i).add(run);
                onRun.accept(run);
            }
        }
        return runs;
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    static double median(double... values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
