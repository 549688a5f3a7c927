package dev.deepcuts.bloom;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An approximate set: a compact summary of a set of keys that answers "might this key be in the
 * set?" with no false negatives and a small, known rate of false positives.
 *
 * <p>The promise every implementation keeps: once a key has been added (or, for a static filter,
 * was among the keys it was built from), {@code mightContain} returns {@code true} for it, for as
 * long as the filter lives and across a {@link #writeTo}/{@link Filters#read} round trip. For any
 * other key it returns {@code true} with a probability close to {@link #expectedFpp()}.
 *
 * <p>Three key kinds share one key space: a {@code long} key and the 8 bytes that spell it
 * little-endian are the same key, so {@code mightContain(42L)} and
 * {@code mightContain(bytesLE(42L))} are the same question; a {@link CharSequence} is the key of
 * its UTF-8 bytes. (The classic, counting and scalable filters hash a {@code long} as those 8
 * bytes with {@link Murmur3}; the blocked, split-block and binary fuse filters mix it directly and
 * read an 8-byte key as that {@code long}.)
 *
 * <p>Thread-safety is stated by each implementation. Every lookup is safe to call from many
 * threads at once when no thread is adding.
 *
 * @see MutableFilter for the filters that accept new keys
 */
public interface Filter {

    /**
     * Whether {@code key} might be in the set: {@code false} means certainly not, {@code true}
     * means probably.
     */
    boolean mightContain(long key);

    /** Whether the key made of these bytes might be in the set. */
    boolean mightContain(byte[] key);

    /** Whether the key made of the UTF-8 encoding of this text might be in the set. */
    boolean mightContain(CharSequence key);

    /**
     * The size of the filter's payload in bits: the memory that does the work, without object
     * headers or the serialized header. Divide by the number of keys for bits per key.
     */
    long bitSize();

    /**
     * The probability that {@link #mightContain} answers {@code true} for a key that was never
     * added, estimated from the filter's current contents (its fill), not from the sizing it was
     * created with. It grows as keys are added to a mutable filter.
     */
    double expectedFpp();

    /**
     * Writes the filter in the versioned, checksummed format that {@link Filters#read} reads back.
     * Writes in bounded chunks, so filters larger than any byte array still stream. Does not close
     * {@code out}; flushes it.
     *
     * @throws IOException when {@code out} fails
     */
    void writeTo(OutputStream out) throws IOException;
}
