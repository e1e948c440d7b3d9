package dev.esctl.testing.crashfs;

import java.io.IOException;

/** What an injected fault does to the operation it hits. */
public enum FaultError {
    /** The operation fails with {@code IOException("EIO")} and changes nothing. */
    EIO("EIO"),
    /** The operation fails with {@code IOException("No space left on device")} and changes nothing. */
    ENOSPC("No space left on device"),
    /**
     * Writes only: the write stores the first half of its bytes (at least one) and returns that
     * count, as write(2) may; a caller that ignores the count loses the rest.
     */
    SHORT_WRITE("short write");

    private final String message;

    FaultError(String message) {
        this.message = message;
    }

    /** The message of the exception an operation fails with. */
    public String message() {
        return message;
    }

    IOException exception() {
        return new IOException(message);
    }
}
