package dev.deepcuts.bench.pool;

/** The cycles timed by {@link CycleBench}, by method. */
enum Cycle {
    BORROW_RETURN("borrowReturn", "borrow/return"),
    STATEMENT("statement", "borrow + statement + return");

    /** The {@link CycleBench} method. */
    final String method;
    final String label;

    Cycle(String method, String label) {
        this.method = method;
        this.label = label;
    }

    /** The label over {@code db}: over PostgreSQL the statement is named, since there it is real work. */
    String label(String db) {
        return this == STATEMENT && db.equals("postgres") ? "borrow + SELECT 1 + return" : label;
    }

    static Cycle byMethod(String method) {
        for (Cycle c : values()) {
            if (c.method.equals(method)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no cycle is timed by a method named '" + method + "'");
    }
}
