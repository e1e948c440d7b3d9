package dev.esctl.snapshot;

/**
 * A snapshot file that cannot be trusted: not an esctl snapshot, incomplete (truncated, or its
 * writer was killed), or not what its manifest says (damaged or altered). Restore refuses it
 * and leaves nothing behind; the message says which.
 */
public final class BadSnapshotException extends RuntimeException {
    public BadSnapshotException(String message) {
        super(message);
    }

    public BadSnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
