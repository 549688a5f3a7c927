package dev.deepcuts.bloom;

/**
 * A {@link Filter} that accepts new keys after it is created. Static filters such as
 * {@link BinaryFuseFilter} do not implement this interface, so adding to them does not compile.
 *
 * <p>Each {@code add} returns {@code true} when the filter's answer for the key might have changed,
 * that is when {@link #mightContain} would have returned {@code false} for it just before; a
 * {@code false} return means the key (or a key colliding with it on every probe) was already
 * there. Like Guava's {@code put}, this is an approximate "was new".
 */
public interface MutableFilter extends Filter {

    /** Adds {@code key}; afterwards {@code mightContain(key)} is {@code true}. */
    boolean add(long key);

    /** Adds the key made of these bytes; afterwards {@code mightContain(key)} is {@code true}. */
    boolean add(byte[] key);

    /** Adds the key made of the UTF-8 encoding of {@code key}. */
    boolean add(CharSequence key);
}
