package dev.esctl.cli;

/** The exit codes of every esctl command; documented in {@code esctl --help}, README and esctl(1). */
public final class ExitCodes {
    private ExitCodes() {}

    public static final int OK = 0;
    /** A runtime or I/O error: the store could not do what was asked. */
    public static final int ERROR = 1;
    /** Bad usage or bad input; nothing was changed. */
    public static final int USAGE = 2;
    /** An expectation (optimistic concurrency) did not hold; nothing was appended. */
    public static final int CONFLICT = 3;
    /** The stream (or subtree) does not exist. */
    public static final int NOT_FOUND = 4;
    /** The data directory is in use by another process. */
    public static final int LOCKED = 5;
    /** The server was unreachable, overloaded, or its writer had failed; the request may be retried. */
    public static final int UNAVAILABLE = 6;
    /** fsck found damage, or restore refused a snapshot that failed verification. */
    public static final int DAMAGED = 7;
}
