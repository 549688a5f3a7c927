package dev.deepcuts.wal;

import java.io.IOException;

/**
 * The log is damaged before its end: a record that was durable is unreadable while later records
 * are intact. Recovery refuses to start rather than truncate acknowledged work away; the message
 * names the segment file and offset.
 */
public final class WalCorruptedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String segment;
    private final long offset;

    WalCorruptedException(String segment, long offset, String message) {
        super(message);
        this.segment = segment;
        this.offset = offset;
    }

    /** The segment file holding the damaged record. */
    public String segment() {
        return segment;
    }

    /** The damaged record's offset in that file. */
    public long offset() {
        return offset;
    }
}
