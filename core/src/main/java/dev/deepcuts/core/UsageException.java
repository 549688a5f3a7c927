package dev.deepcuts.core;

/**
 * A mistake by the user (an unknown lab, a malformed parameter): the CLI prints the message as one
 * line and exits with status 2, never with a stack trace.
 */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
