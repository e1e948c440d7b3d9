package dev.esctl.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How a waiting watcher is told that something it may care about was committed: a flag and an
 * unpark. A signal that arrives while the watcher is busy is not lost: the flag stays set and
 * the next wait returns at once. Works for virtual threads. One waiter; any number of wakers.
 */
final class WatchSignal {
    private volatile boolean pending;
    private volatile Thread waiter;

    void wake() {
        pending = true;
        Thread t = waiter;
        if (t != null) LockSupport.unpark(t);
    }

    /** Clears the flag; call before looking for new events, so a wake after the look is kept. */
    void clear() {
        pending = false;
    }

    /** Waits until woken or the timeout passes; true when woken. */
    boolean await(long timeout, TimeUnit unit) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        waiter = Thread.currentThread();
        try {
            while (!pending) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    return pending;
                }
            }
            return true;
        } finally {
            waiter = null;
        }
    }
}
