package dev.deepcuts.bench.wal;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * What every contender writes: a bounded set of 16-byte keys ({@code key-000000001234}) and
 * 100-byte values, so that every commit is the same work on every side, the stores never grow past
 * their key space (our store's pages never fill) and nothing is allocated per commit by the harness
 * itself.
 *
 * <p>Writer {@code w} of {@code writers} takes, at its {@code n}-th commit, key
 * {@code (n * writers + w) mod keys}: writers touch disjoint keys at any moment, and one writer
 * cycles through all of them. A value is random bytes (one of 64 seeded patterns, so nothing
 * compresses them) with a stamp unique to the commit in its first 8 bytes: no commit ever writes a
 * key's current value again. That matters: SQLite does not rewrite a row whose bytes do not change,
 * and a transaction that changed nothing commits without writing or syncing its WAL.
 */
final class Workload {

    /** Bytes per value: the 100-byte values. */
    static final int VALUE_BYTES = 100;

    private final byte[][] keys;
    private final byte[][] values;

    private Workload(byte[][] keys, byte[][] values) {
        this.keys = keys;
        this.values = values;
    }

    /** {@code keys} distinct keys and 64 distinct {@value #VALUE_BYTES}-byte values drawn from {@code seed}. */
    static Workload of(int keys, long seed) {
        if (keys < 1) {
            throw new IllegalArgumentException("keys must be at least 1, got " + keys);
        }
        byte[][] k = new byte[keys][];
        for (int i = 0; i < keys; i++) {
            k[i] = String.format("key-%012d", i).getBytes(StandardCharsets.US_ASCII);
        }
        Random random = new Random(seed);
        byte[][] v = new byte[64][VALUE_BYTES];
        for (byte[] value : v) {
            random.nextBytes(value);
        }
        return new Workload(k, v);
    }

    int keys() {
        return keys.length;
    }

    /** Key number {@code i}. */
    byte[] key(int i) {
        return keys[i];
    }

    /** The key writer {@code writer} of {@code writers} commits at its {@code n}-th commit. */
    byte[] key(long n, int writers, int writer) {
        return keys[(int) ((n * writers + writer) % keys.length)];
    }

    /** Fills {@code into} ({@value #VALUE_BYTES} bytes) with the value of the commit stamped {@code stamp}. */
    void value(long stamp, byte[] into) {
        System.arraycopy(values[(int) Math.floorMod(stamp, (long) values.length)], 0, into, 0, VALUE_BYTES);
        for (int i = 0; i < 8; i++) {
            into[i] = (byte) (stamp >>> (8 * i));
        }
    }

    /** The value of the commit stamped {@code stamp}, in a new array. */
    byte[] value(long stamp) {
        byte[] b = new byte[VALUE_BYTES];
        value(stamp, b);
        return b;
    }

    /**
     * The stamp of writer {@code writer}'s {@code n}-th commit in the timed runs: unique across
     * writers and runs, and never the stamp of a first write ({@link #populateStamp}).
     */
    static long stamp(int writer, long n) {
        return ((long) (writer + 1) << 48) | n;
    }

    /** The stamp of the first write of key {@code k}. */
    static long populateStamp(int k) {
        return k;
    }
}
