package dev.esctl.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each of the benchmark's events was acknowledged to its appender: System.nanoTime() per
 * seq, in one primitive array indexed by {@code seq - baseSeq}, so that a watcher in the same
 * process can compute delivery latency (its receive time minus the ack time) with the same
 * clock and no lookup structure. 0 means not (yet) acknowledged. Sized up front: appends beyond
 * the capacity are refused ({@link #ack} returns false). Thread-safe: any number of appenders
 * and watchers.
 */
final class AckClock {
    private final long baseSeq;
    private final AtomicLongArray ackNanos;

    /** @param baseSeq the first seq the benchmark may get: the head before it starts, plus one */
    AckClock(long baseSeq, int capacity) {
        this.baseSeq = baseSeq;
        this.ackNanos = new AtomicLongArray(capacity);
    }

    /** Marks seqs first..last acknowledged at {@code nanos}; false when they do not fit. */
    boolean ack(long first, long last, long nanos) {
        if (first < baseSeq || last - baseSeq >= ackNanos.length()) return false;
        long t = nanos == 0 ? 1 : nanos;
        for (long s = first; s <= last; s++) ackNanos.setRelease((int) (s - baseSeq), t);
        return true;
    }

    /** The ack time of {@code seq}, or 0 when it was not acknowledged (yet). */
    long ackNanos(long seq) {
        long i = seq - baseSeq;
        return i < 0 || i >= ackNanos.length() ? 0 : ackNanos.getAcquire((int) i);
    }

    /** True when seqs up to {@code seq} can be recorded. */
    boolean fits(long seq) {
        return seq - baseSeq < ackNanos.length();
    }

    long baseSeq() {
        return baseSeq;
    }

    int capacity() {
        return ackNanos.length();
    }
}
