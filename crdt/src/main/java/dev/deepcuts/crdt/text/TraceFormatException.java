package dev.deepcuts.crdt.text;

/** An editing-trace file that is not in the expected format; the message is one line naming the problem. */
public final class TraceFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** A trace format error with a one-line message naming the file and the problem. */
    public TraceFormatException(String message) {
        super(message);
    }
}
