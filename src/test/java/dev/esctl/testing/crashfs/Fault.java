package dev.esctl.testing.crashfs;

/**
 * An injected I/O fault: the {@code nth} operation of {@code kind} (counted from when the fault
 * is injected, 1-based) on a path that contains {@code pathContains} fails with
 * {@code error}; a persistent fault also fails every later matching operation, until
 * {@link CrashFileSystem#clearFaults()}.
 *
 * <p>A failed {@link OpKind#FORCE} behaves as Linux does after fsync(2) reports EIO: the dirty
 * pages are marked clean, so the unforced writes of that file have reached the disk only as far
 * as they happened to (each gets a random {@link WriteFate}) and will never be written again,
 * while reads keep returning the new bytes from the page cache. That is why a failed force must
 * never be retried as if it could still succeed.
 */
public record Fault(OpKind kind, long nth, FaultError error, boolean persistent, String pathContains) {

    public Fault {
        if (nth < 1) throw new IllegalArgumentException("nth is 1-based, got " + nth);
        if (error == FaultError.SHORT_WRITE && kind != OpKind.WRITE) {
            throw new IllegalArgumentException("a short write is a fault of writes, not of " + kind);
        }
        pathContains = pathContains == null ? "" : pathContains;
    }

    /** The {@code nth} operation of {@code kind} fails once; later ones succeed. */
    public static Fault once(OpKind kind, long nth, FaultError error) {
        return new Fault(kind, nth, error, false, "");
    }

    /** The {@code nth} operation of {@code kind} and every later one fail. */
    public static Fault persistent(OpKind kind, long nth, FaultError error) {
        return new Fault(kind, nth, error, true, "");
    }

    /** The same fault, counting only operations on files (or directories) whose absolute path contains {@code part}. */
    public Fault onPathsContaining(String part) {
        return new Fault(kind, nth, error, persistent, part);
    }

    @Override
    public String toString() {
        return (persistent ? "persistent " : "once ") + error + " at " + kind + " #" + nth
                + (pathContains.isEmpty() ? "" : " on paths containing " + pathContains);
    }
}
