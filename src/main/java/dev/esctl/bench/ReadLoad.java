package dev.esctl.bench;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop read load: N clients, each on its own connection, read a whole stream (chosen per
 * read) or everything from seq 1, one read after another, and time each read from request to
 * last byte. Reads that start during the warm-up are not counted. A read of everything must
 * return at least the events that were committed when it started (seqs 1, 2, 3, … — see
 * {@link LoadTarget.Connection#read}); a stream read must return {@code expectEvents} events
 * when that is given. A failed read ends the load. Thread-safe.
 */
final class ReadLoad {
    record Options(int clients, long warmupMs, long durationMs, long maxEvents, long expectEvents) {}

    private final LoadTarget target;
    private final Options options;
    private final Function<SplittableRandom, String> streams;
    private final BenchStop stop;
    private final Recorder latency = new Recorder(3);
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong endNanos = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean ended;
    private CountDownLatch done;
    private long measureFromNanos;

    /** @param streams picks the stream of each read (null: everything) */
    ReadLoad(LoadTarget target, Options options, Function<SplittableRandom, String> streams, BenchStop stop) {
        if (options.clients() < 1) throw new IllegalArgumentException("--clients must be at least 1, got " + options.clients());
        this.target = target;
        this.options = options;
        this.streams = streams;
        this.stop = stop;
    }

    void start() {
        long start = System.nanoTime();
        measureFromNanos = start + options.warmupMs() * 1_000_000L;
        long deadline = measureFromNanos + options.durationMs() * 1_000_000L;
        done = new CountDownLatch(options.clients());
        for (int c = 0; c < options.clients(); c++) {
            SplittableRandom random = new SplittableRandom(42 + c);
            Thread.ofPlatform().name("bench-reader-" + c).daemon().start(() -> {
                try (LoadTarget.Connection conn = target.connect()) {
                    while (!ended && !stop.requested() && System.nanoTime() < deadline && events.get() < options.maxEvents()) {
                        String stream = streams.apply(random);
                        long head = stream == null ? target.headSeq() : 0;
                        long t0 = System.nanoTime();
                        LoadTarget.ReadCount r = conn.read(stream);
                        long t1 = System.nanoTime();
                        if (stream == null && r.events() < head) {
                            throw new IllegalStateException("a read of everything returned " + r.events() + " events; the head was at seq " + head + " before it began");
                        }
                        if (stream != null && options.expectEvents() >= 0 && r.events() != options.expectEvents()) {
                            throw new IllegalStateException("a read of " + stream + " returned " + r.events() + " events, not " + options.expectEvents());
                        }
                        if (t0 < measureFromNanos) continue;
                        latency.recordValue(Math.max(1, (t1 - t0) / 1000));
                        reads.incrementAndGet();
                        events.addAndGet(r.events());
                        bytes.addAndGet(r.bytes());
                        endNanos.accumulateAndGet(t1, Math::max);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    ended = true;
                } finally {
                    done.countDown();
                }
            });
        }
    }

    void end() {
        ended = true;
    }

    void join() throws InterruptedException {
        done.await();
    }

    long reads() { return reads.get(); }
    long events() { return events.get(); }
    long bytes() { return bytes.get(); }
    Throwable failure() { return failure.get(); }

    /** Seconds from the end of the warm-up to the last counted read's end. */
    double seconds() {
        long end = endNanos.get();
        return end == 0 ? 0 : (end - measureFromNanos) / 1e9;
    }

    /** Time per read, request to last byte, in microseconds. */
    Histogram latency() {
        return latency.getIntervalHistogram();
    }
}
