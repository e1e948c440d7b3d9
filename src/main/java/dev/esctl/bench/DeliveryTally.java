package dev.esctl.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one watcher received, checked as it arrives: the benchmark's events must come in rising
 * seq order, each once (a seq not above the last one is a duplicate or out of order); each
 * one's delivery latency is its receive time minus its ack time from the {@link AckClock}. An
 * event can be delivered before its appender has read the ack (both race after the commit):
 * it is kept aside and measured once the ack is known (a latency below zero counts as 0 and
 * as "delivered before ack"). Latencies go to the shared {@link LatencyStripes} a batch at a
 * time. Written by the watcher's thread only; {@link #last} and {@link #received} may be read
 * from others while it runs, the rest after {@link #finish}.
 */
final class DeliveryTally implements LoadTarget.WatchSink {
    private final int id;
    private final AckClock acks;
    private final LatencyStripes latency;
    private final CountDownLatch live;
    private final long[] batch = new long[256];
    private int batchLength;
    private long[] pending = new long[64]; // pairs: seq, receive nanos
    private int pendingLength;
    private final AtomicLong last = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private boolean caughtUp;
    long duplicates;
    long outOfOrder;
    long foreign;
    long fellBehind;
    long beforeAck;
    long unacked;
    long lastNanos;

    DeliveryTally(int id, AckClock acks, LatencyStripes latency, CountDownLatch live) {
        this.id = id;
        this.acks = acks;
        this.latency = latency;
        this.live = live;
    }

    @Override
    public void caughtUp() {
        if (caughtUp) return;
        caughtUp = true;
        live.countDown();
    }

    @Override
    public void event(long seq, long nanos) {
        long previous = last.get();
        if (seq <= previous) {
            if (seq == previous) duplicates++;
            else outOfOrder++;
            return;
        }
        last.setRelease(seq);
        received.setRelease(received.get() + 1);
        lastNanos = nanos;
        long ack = acks.ackNanos(seq);
        if (ack == 0) {
            keep(seq, nanos);
            return;
        }
        measure(nanos - ack);
    }

    @Override
    public void foreign() {
        foreign++;
    }

    @Override
    public void fellBehind() {
        fellBehind++;
    }

    private void measure(long nanos) {
        if (nanos < 0) beforeAck++;
        batch[batchLength++] = Math.max(0, nanos) / 1000;
        if (batchLength == batch.length) flush();
    }

    private void flush() {
        latency.record(id, batch, batchLength);
        batchLength = 0;
    }

    /** An event whose ack is not known yet: measured later. */
    private void keep(long seq, long nanos) {
        if (pendingLength == pending.length) {
            resolve();
            if (pendingLength > pending.length / 2) pending = java.util.Arrays.copyOf(pending, pending.length * 2);
        }
        pending[pendingLength++] = seq;
        pending[pendingLength++] = nanos;
    }

    /** Measures the kept events whose acks have come since. */
    private void resolve() {
        int kept = 0;
        for (int i = 0; i < pendingLength; i += 2) {
            long ack = acks.ackNanos(pending[i]);
            if (ack != 0) {
                measure(pending[i + 1] - ack);
            } else {
                pending[kept++] = pending[i];
                pending[kept++] = pending[i + 1];
            }
        }
        pendingLength = kept;
    }

    /** After the watch ended and every append returned: measures what is left; an event still without an ack was never acknowledged. */
    void finish() {
        resolve();
        unacked = pendingLength / 2;
        pendingLength = 0;
        flush();
    }

    boolean caughtUpSeen() {
        return caughtUp;
    }

    long last() {
        return last.getAcquire();
    }

    long received() {
        return received.getAcquire();
    }
}
