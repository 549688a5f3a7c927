package dev.deepcuts.pool.lab;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Recorder;

import dev.deepcuts.pool.PoolTimeoutException;

/**
 * Closed-loop load: {@code threads} workers each run a request, again and again, for a while;
 * completed requests, timeouts and latencies are counted per second of the run.
 */
final class Load {

    /** One request; throws {@link PoolTimeoutException} when the pool had no connection in time. */
    @FunctionalInterface
    interface Request {
        void run(int worker, long n) throws Exception;
    }

    /** What one second of the run saw. */
    record Second(int second, long completed, long timeouts, long p50Micros, long p99Micros) {}

    /** The whole run. */
    record Result(double seconds, long completed, long timeouts, long errors, long p50Micros, long p99Micros, long maxMicros,
                  List<Second> perSecond, PoolTimeoutException firstTimeout) {
        double throughput() {
            return completed / seconds;
        }
    }

    private Load() {}

    static Result run(int threads, double seconds, double warmupSeconds, Request request) throws InterruptedException {
        AtomicBoolean measuring = new AtomicBoolean(warmupSeconds <= 0);
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder completed = new LongAdder();
        LongAdder timeouts = new LongAdder();
        LongAdder errors = new LongAdder();
        Recorder all = new Recorder(3_600_000_000L, 2);
        Recorder second = new Recorder(3_600_000_000L, 2);
        PoolTimeoutException[] first = new PoolTimeoutException[1];
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            int me = w;
            workers.add(Thread.ofPlatform().daemon().start(() -> {
                for (long n = 0; !stop.get(); n++) {
                    long t0 = System.nanoTime();
                    try {
                        request.run(me, n);
                        if (measuring.get()) {
                            long micros = (System.nanoTime() - t0) / 1000;
                            all.recordValue(micros);
                            second.recordValue(micros);
                            completed.increment();
                        }
                    } catch (PoolTimeoutException e) {
                        if (measuring.get()) {
                            timeouts.increment();
                            synchronized (first) {
                                if (first[0] == null) {
                                    first[0] = e;
                                }
                            }
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        if (measuring.get()) {
                            errors.increment();
                        }
                    }
                }
            }));
        }
        if (warmupSeconds > 0) {
            Thread.sleep((long) (warmupSeconds * 1000));
            second.reset();
            measuring.set(true);
        }
        long start = System.nanoTime();
        List<Second> perSecond = new ArrayList<>();
        long lastCompleted = 0;
        long lastTimeouts = 0;
        int s = 0;
        while (System.nanoTime() - start < seconds * 1e9) {
            long next = start + (long) ((s + 1) * 1e9);
            long sleep = Math.min(next, start + (long) (seconds * 1e9)) - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
            var h = second.getIntervalHistogram();
            long c = completed.sum();
            long t = timeouts.sum();
            perSecond.add(new Second(s, c - lastCompleted, t - lastTimeouts, h.getValueAtPercentile(50), h.getValueAtPercentile(99)));
            lastCompleted = c;
            lastTimeouts = t;
            s++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        measuring.set(false);
        stop.set(true);
        for (Thread w : workers) {
            w.join(30_000);
        }
        var h = all.getIntervalHistogram();
        return new Result(elapsed, completed.sum(), timeouts.sum(), errors.sum(), h.getValueAtPercentile(50),
                h.getValueAtPercentile(99), h.getMaxValue(), perSecond, first[0]);
    }

    /** Sleeps {@code millis} inside a request: time spent holding a connection as if a query ran. */
    static void work(long millis) throws InterruptedException {
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    static void rethrowTimeout(SQLException e) throws SQLException {
        throw e;
    }
}
