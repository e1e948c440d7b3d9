package dev.esctl.bench;

import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** What the clients of one append run have done: events acknowledged, conflicts, ack latency. Thread-safe. */
final class AppendTally {
    private final Recorder latency = new Recorder(3);
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong claimed = new AtomicLong();

    /**
     * Claims {@code n} more events for a client about to append them, so that a run bounded to
     * {@code max} events appends exactly that many (a batch that would go past it is not sent).
     * A claim holds through conflicts and retries until its append is acknowledged.
     */
    boolean claim(int n, long max) {
        for (long c; (c = claimed.get()) <= max - n; ) {
            if (claimed.compareAndSet(c, c + n)) return true;
        }
        return false;
    }

    /** An append of {@code n} events acknowledged {@code micros} after it was sent. */
    void acked(int n, long micros) {
        latency.recordValue(Math.max(1, micros));
        events.addAndGet(n);
    }

    void conflict() {
        conflicts.incrementAndGet();
    }

    long events() { return events.get(); }
    long conflicts() { return conflicts.get(); }

    /** The latencies recorded since the last call, in microseconds. */
    Histogram latency() {
        return latency.getIntervalHistogram();
    }
}
