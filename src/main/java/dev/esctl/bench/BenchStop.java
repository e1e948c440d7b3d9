package dev.esctl.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ends a benchmark early and cleanly on Ctrl-C (SIGINT) or SIGTERM: a shutdown hook raises the
 * flag the load loops poll, then holds the JVM for up to {@link #GRACE_SECONDS} while the run
 * drains, checks what it can and prints its report with what was measured so far. Thread-safe.
 */
public final class BenchStop implements AutoCloseable {
    static final int GRACE_SECONDS = 15;

    private volatile boolean requested;
    private final CountDownLatch reported = new CountDownLatch(1);
    private final Thread hook;

    private BenchStop(boolean install) {
        hook = install ? new Thread(this::awaitReport, "esctl-bench-stop") : null;
        if (hook != null) Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Stops on Ctrl-C or SIGTERM; close it once the report is printed. */
    public static BenchStop onSignal() {
        return new BenchStop(true);
    }

    /** Never stops by itself (for tests and nested runs); {@link #request} still works. */
    public static BenchStop manual() {
        return new BenchStop(false);
    }

    private void awaitReport() {
        requested = true;
        try {
            // The JVM exits when this hook returns: wait until the run has printed its report.
            reported.await(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once a stop was asked for: load loops end their current operation and return. */
    public boolean requested() {
        return requested;
    }

    public void request() {
        requested = true;
    }

    /** The report is out: a pending signal may now let the JVM exit. */
    @Override
    public void close() {
        reported.countDown();
        if (hook == null) return;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running (Ctrl-C): it returns now that the latch is open.
        }
    }
}
