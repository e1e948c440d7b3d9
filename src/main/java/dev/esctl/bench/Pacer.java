package dev.esctl.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop schedule for one load client: operation i is due at {@code start + i * interval}.
 * A client that falls behind (the server is slower than the rate) sends at once until it is back
 * on schedule, so the offered rate does not silently drop to what the server can take; the
 * achieved rate shows the difference. Not thread-safe: one per client.
 */
final class Pacer {
    private final long startNanos;
    private final double intervalNanos;
    private long next;

    /**
     * @param startNanos    when operation 0 is due
     * @param perSecond     operations per second for this client; 0 or less: no pacing
     */
    Pacer(long startNanos, double perSecond) {
        this.startNanos = startNanos;
        this.intervalNanos = perSecond <= 0 ? 0 : 1e9 / perSecond;
    }

    /** Waits until the next operation is due (or {@code deadlineNanos}); false when the deadline came first. */
    boolean await(long deadlineNanos, BenchStop stop) {
        long due = startNanos + (long) (next++ * intervalNanos);
        if (due - deadlineNanos > 0 || System.nanoTime() - deadlineNanos >= 0) return false;
        for (long left; (left = due - System.nanoTime()) > 0; ) {
            if (stop.requested()) return false;
            LockSupport.parkNanos(Math.min(left, 50_000_000L));
        }
        return true;
    }
}
