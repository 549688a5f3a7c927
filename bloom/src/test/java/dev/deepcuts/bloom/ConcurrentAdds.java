package dev.deepcuts.bloom;

import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Adds keys 0 .. threads·perThread − 1 to one filter from several threads started together. */
final class ConcurrentAdds {
    private ConcurrentAdds() {
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
