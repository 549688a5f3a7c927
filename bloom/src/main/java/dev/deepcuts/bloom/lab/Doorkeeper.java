package dev.deepcuts.bloom.lab;

import dev.deepcuts.bloom.BloomFilter;

/**
 * A cache-admission doorkeeper: an object is admitted to the cache only on its second request
 * within a window. The first request only records the object in a Bloom filter; a one-hit wonder
 * (an object requested once and never again) therefore never costs a cache write and never evicts
 * anything. This is the "cache on second hit" rule Akamai described (Maggs and Sitaraman 2015) and
 * the same idea as the doorkeeper of TinyLFU (Einziger, Friedman and Manes 2017), which sits in
 * front of TinyLFU's frequency sketch rather than in front of the cache itself.
 *
 * <p>A Bloom filter cannot forget, and one that only fills would end up saying "seen" to
 * everything. So the doorkeeper keeps two generations: new objects go into the current filter;
 * when it has taken its capacity of keys it becomes the previous one and a fresh filter starts.
 * "Seen before" means seen in either, so an object is remembered for between one and two windows.
 * A false positive admits a first-time object early: the only harm is one unneeded cache write.
 */
final class Doorkeeper {

    private final long window;
    private final double fpp;
    private BloomFilter current;
    private BloomFilter previous;
    private long addedToCurrent;

    /**
     * @param window how many distinct first requests a generation remembers
     * @param fpp    each generation's false-positive rate at {@code window} keys
     */
    Doorkeeper(long window, double fpp) {
        if (window < 1) throw new IllegalArgumentException("window=" + window + " must be at least 1");
        this.window = window;
        this.fpp = fpp;
        this.current = BloomFilter.create(window, fpp);
        this.previous = BloomFilter.create(window, fpp);
    }

    // region doorkeeper
    /** Records a request that missed the cache; true when the object should now be cached. */
    boolean admit(long object) {
        if (current.mightContain(object) || previous.mightContain(object)) {
            return true;                       // second request in the window: cache it
        }
        current.add(object);                   // first request: remember it, do not cache
        if (++addedToCurrent == window) {      // generation full: age out the older one
            previous = current;
            current = BloomFilter.create(window, fpp);
            addedToCurrent = 0;
        }
        return false;
    }
    // endregion doorkeeper

    /** Bytes of the two filters' bit arrays. */
    long bytes() {
        return (current.bitSize() + previous.bitSize()) / 8;
    }
}
