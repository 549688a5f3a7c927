package dev.deepcuts.core;

import java.util.Objects;

/**
 * A sentence the chapter relies on, checked on the lab's own numbers: "no false negatives in
 * 1000000 lookups" — and whether it held in this run.
 *
 * @param text  the claim, in words a reader can check against the report
 * @param holds whether the measured numbers bear it out
 */
public record Claim(String text, boolean holds) {
    public Claim {
        Objects.requireNonNull(text, "text");
    }
}
