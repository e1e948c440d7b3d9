package dev.esctl.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntToLongFunction;

/**
 * W watchers, each a long-lived watch on its own connection and virtual thread, each with a
 * {@link DeliveryTally}. {@link #start} returns once every one is live (so none misses the first
 * event); {@link #drain} waits until each has received what it must; {@link #close} ends them.
 * Thread-safe.
 */
final class Watchers implements AutoCloseable {
    private final LoadTarget target;
    private final List<LoadTarget.WatchSpec> specs;
    private final List<DeliveryTally> tallies = new ArrayList<>();
    private final List<LoadTarget.Connection> connections = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final LatencyStripes latency;
    private final CountDownLatch live;
    private volatile boolean closing;

    /** One watcher per spec. */
    Watchers(LoadTarget target, List<LoadTarget.WatchSpec> specs, AckClock clock) {
        this.target = target;
        this.specs = specs;
        this.latency = new LatencyStripes(Math.min(64, Math.max(1, specs.size())));
        this.live = new CountDownLatch(specs.size());
        for (int i = 0; i < specs.size(); i++) tallies.add(new DeliveryTally(i, clock, latency, live));
    }

    /** Refuses a run whose connections would not fit this process's file-descriptor limit (ulimit -n). */
    static void checkDescriptors(int connections) {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long max = unix.getMaxFileDescriptorCount();
            long need = unix.getOpenFileDescriptorCount() + connections + 64;
            if (need > max) {
                throw new IllegalArgumentException(connections + " connections need about " + need + " file descriptors, and this process may open "
                        + max + " (ulimit -n): raise the limit or use fewer watchers");
            }
        }
    }

    /** Opens every watch; returns when all are live. Throws when one fails, the timeout passes or a stop is asked for. */
    void start(long timeoutMs, BenchStop stop) throws InterruptedException {
        for (int i = 0; i < specs.size(); i++) {
            int w = i;
            LoadTarget.Connection c = target.connect();
            connections.add(c);
            threads.add(Thread.ofVirtual().name("bench-watcher-" + i).start(() -> {
                try {
                    c.watch(specs.get(w), tallies.get(w));
                } catch (Exception | AssertionError e) {
                    if (!closing) failures.add("watcher " + w + ": " + e);
                } finally {
                    // A watcher that ended before it was live must not hold up the start.
                    if (!tallies.get(w).caughtUpSeen()) live.countDown();
                }
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!live.await(100, TimeUnit.MILLISECONDS)) {
            if (!failures.isEmpty()) break;
            if (stop.requested()) throw new IllegalStateException("stopped while the watchers were starting");
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException((specs.size() - live.getCount()) + " of " + specs.size() + " watchers were live after " + timeoutMs + " ms");
            }
        }
        if (!failures.isEmpty()) throw new IllegalStateException("a watcher failed to start: " + failures.peek());
    }

    /**
     * Waits until watcher i has received every event up to {@code lastSeq.applyAsLong(i)}, up to
     * {@code timeoutMs}; true when all have.
     */
    boolean drain(IntToLongFunction lastSeq, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (int i = 0; i < tallies.size(); i++) {
            long want = lastSeq.applyAsLong(i);
            while (tallies.get(i).last() < want) {
                if (System.nanoTime() > deadline || !failures.isEmpty()) return false;
                Thread.sleep(5);
            }
        }
        return true;
    }

    /** Ends every watch and waits for the watchers to finish their tallies. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        for (LoadTarget.Connection c : connections) c.close();
        for (Thread t : threads) t.join(10_000);
        for (DeliveryTally t : tallies) t.finish();
    }

    List<DeliveryTally> tallies() {
        return tallies;
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    LatencyStripes latency() {
        return latency;
    }

    int size() {
        return specs.size();
    }
}
