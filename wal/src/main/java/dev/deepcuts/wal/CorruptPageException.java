package dev.deepcuts.wal;

import java.io.IOException;

/** A data page whose checksum does not match (a torn or damaged write) and that the log cannot repair. */
public final class CorruptPageException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int page;

    CorruptPageException(int page, String message) {
        super(message);
        this.page = page;
    }

    /** The page number. */
    public int page() {
        return page;
    }
}
