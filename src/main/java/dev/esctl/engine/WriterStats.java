package dev.esctl.engine;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters the writer keeps about itself: cheap to update on the write path (striped adders,
 * no locks), read by {@code stat}, {@code /info} and the metrics endpoint. A {@link Listener}
 * may be attached to see each sample (latency histograms live outside the engine).
 */
public final class WriterStats {
    /**
     * Receives every sample as it happens; called on the thread that writes, except {@link #overloaded}, which
     * runs on the appending thread that was refused. Must not block.
     */
    public interface Listener {
        default void committed(int events, long bytes, long latencyNanos) {}
        default void group(int batches, long events) {}
        default void forced(long nanos) {}
        default void conflict() {}
        default void replayed() {}
        default void overloaded() {}
        default void writerFailed() {}
    }

    private final LongAdder batches = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder groups = new LongAdder();
    private final LongAdder forces = new LongAdder();
    private final LongAdder forceNanos = new LongAdder();
    private final LongAdder conflicts = new LongAdder();
    private final LongAdder replays = new LongAdder();
    private final LongAdder overloads = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private volatile Listener listener = new Listener() {};

    public void setListener(Listener listener) {
        this.listener = listener;
    }

    void committed(int eventCount, long byteCount, long latencyNanos) {
        batches.increment();
        events.add(eventCount);
        bytes.add(byteCount);
        listener.committed(eventCount, byteCount, latencyNanos);
    }

    void group(int batchCount, long eventCount) {
        groups.increment();
        listener.group(batchCount, eventCount);
    }

    void forced(long nanos) {
        forces.increment();
        forceNanos.add(nanos);
        listener.forced(nanos);
    }

    void conflict() {
        conflicts.increment();
        listener.conflict();
    }

    void replayed() {
        replays.increment();
        listener.replayed();
    }

    void overloaded() {
        overloads.increment();
        listener.overloaded();
    }

    void writerFailed() {
        failures.increment();
        listener.writerFailed();
    }

    public long batches() { return batches.sum(); }
    public long events() { return events.sum(); }
    public long bytes() { return bytes.sum(); }
    public long groups() { return groups.sum(); }
    public long forces() { return forces.sum(); }
    public long forceNanos() { return forceNanos.sum(); }
    public long conflicts() { return conflicts.sum(); }
    public long overloads() { return overloads.sum(); }
    public long replays() { return replays.sum(); }
    public long failures() { return failures.sum(); }
}
