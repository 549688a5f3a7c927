package dev.deepcuts.crdt.text;

/** Bytes that are not a valid encoded {@link TextDocument}; the message names the offset and the problem. */
public final class CorruptDocumentException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final long offset;

    CorruptDocumentException(long offset, String problem) {
        super("corrupt document at byte " + offset + ": " + problem);
        this.offset = offset;
    }

    /** The byte offset where the problem was found. */
    public long offset() {
        return offset;
    }
}
