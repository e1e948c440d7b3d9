package dev.esctl.testing.crashfs;

/**
 * Thrown by a {@link CrashFileSystem} at the operation where the simulated machine stops, and
 * by every changing operation after it: from then on nothing reaches the disk, so the state a
 * crash leaves behind is frozen. Unchecked on purpose, so that code which handles
 * {@code IOException} (retrying, ignoring, wrapping) cannot mistake the crash for an error it
 * can handle; code that catches every {@code RuntimeException} still sees it, and that is the
 * code the crash tests are about. It carries no stack trace: the op number says where.
 */
public final class SimulatedCrash extends RuntimeException {
    private final long operation;

    SimulatedCrash(long operation, String message) {
        super(message, null, false, false);
        this.operation = operation;
    }

    /** The operation at which the machine stopped. */
    public long operation() {
        return operation;
    }
}
