package dev.deepcuts.bloom;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.LongFunction;

/** Adds keys 0 .. threads·perThread − 1 to one filter from several threads started together. */
final class ConcurrentAdds {
    private ConcurrentAdds() {
    }

    /**
     * Fills one filter from four threads at once and another from one thread, and checks that
     * every key is found and that the two hold exactly the same bits: no concurrent add was lost.
     */
    static <F extends MutableFilter> void assertNoAddIsLost(LongFunction<F> create, Function<F, Object> bits) throws Exception {
        int threads = 4;
        int perThread = 50_000;
        F concurrent = create.apply(threads * perThread);
        F sequential = create.apply(threads * perThread);
        addConcurrently(concurrent, threads, perThread);
        for (long k = 0; k < (long) threads * perThread; k++) {
            sequential.add(k);
            assertThat(concurrent.mightContain(k)).isTrue();
        }
        assertThat(bits.apply(concurrent)).isEqualTo(bits.apply(sequential));
    }

    static void addConcurrently(MutableFilter filter, int threads, int perThread) throws Exception {
        var start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < threads; t++) {
                long from = (long) t * perThread;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (long k = from; k < from + perThread; k++) {
                        filter.add(k);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (var f : futures) {
                f.get();
            }
        }
    }
}
