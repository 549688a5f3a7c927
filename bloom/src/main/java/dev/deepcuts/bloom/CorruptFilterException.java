package dev.deepcuts.bloom;

import java.io.IOException;

/**
 * Thrown by {@link Filters#read} when the bytes are not a valid serialized filter: a checksum that
 * does not match, a stream that ends early, a wrong magic number, a format version or filter type
 * this reader does not know, or parameters out of range. The message names the problem and the
 * byte offset, counted from where reading started.
 */
public final class CorruptFilterException extends IOException {

    private final long offset;

    /**
     * @param offset the byte offset, from the start of the serialized filter, where the problem
     *     was found
     * @param message what is wrong, starting with the problem ("checksum mismatch: ...")
     */
    public CorruptFilterException(long offset, String message) {
        super(message);
        this.offset = offset;
    }

    /** The byte offset, from the start of the serialized filter, where the problem was found. */
    public long offset() {
        return offset;
    }
}
