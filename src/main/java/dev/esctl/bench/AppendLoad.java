package dev.esctl.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The appending side of the watch and mixed benchmarks: N clients, each on its own connection,
 * append batches of B events — paced to a total rate (open loop, see {@link Pacer}) or as fast
 * as acks come (rate 0) — and write each event's ack time into an {@link AckClock}. Streams:
 * each client its own ({@code streams[client]}), or the batches go round-robin over all of
 * {@code streams} (so that each watcher of one stream gets a share). Keeps, per stream, the
 * events acknowledged and the last seq, which is what every watcher must then receive.
 * Any failed append ends the load (the outcome of that batch is unknown). Thread-safe.
 */
final class AppendLoad {
    record Options(int clients, int batchEvents, double eventsPerSecond, long durationMs, long maxEvents) {}

    private final LoadTarget target;
    private final Options options;
    private final String[] streams;
    private final boolean roundRobin;
    private final AckClock clock;
    private final BenchStop stop;
    private final Recorder latency = new Recorder(3);
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong maxSeq = new AtomicLong();
    private final AtomicLong nextStream = new AtomicLong();
    private final AtomicLongArray streamEvents;
    private final AtomicLongArray streamLastSeq;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean clockFull;
    private volatile boolean ended;
    private CountDownLatch done;
    private long startNanos;
    private final AtomicLong endNanos = new AtomicLong();

    AppendLoad(LoadTarget target, Options options, String[] streams, boolean roundRobin, AckClock clock, BenchStop stop) {
        if (!roundRobin && streams.length != options.clients()) throw new IllegalArgumentException("one stream per client: " + options.clients() + " clients, " + streams.length + " streams");
        this.target = target;
        this.options = options;
        this.streams = streams;
        this.roundRobin = roundRobin;
        this.clock = clock;
        this.stop = stop;
        this.streamEvents = new AtomicLongArray(streams.length);
        this.streamLastSeq = new AtomicLongArray(streams.length);
    }

    void start() {
        startNanos = System.nanoTime();
        long deadline = startNanos + options.durationMs() * 1_000_000L;
        int n = options.clients();
        done = new CountDownLatch(n);
        double perClient = options.eventsPerSecond() / n / options.batchEvents();
        for (int c = 0; c < n; c++) {
            int client = c;
            // Staggered: the clients' batches interleave instead of leaving together.
            Pacer pacer = new Pacer(startNanos + (perClient <= 0 ? 0 : (long) (1e9 / perClient * c / n)), perClient);
            Thread.ofPlatform().name("bench-appender-" + c).daemon().start(() -> {
                try (LoadTarget.Connection conn = target.connect()) {
                    while (!ended && !stop.requested() && events.get() < options.maxEvents()) {
                        if (!pacer.await(deadline, stop) || stop.requested() || ended) break;
                        // Room for every client's batch in flight, and for other clients' appends interleaved.
                        if (!clock.fits(maxSeq.get() + 2L * n * options.batchEvents() + 10_000)) {
                            clockFull = true;
                            break;
                        }
                        int s = roundRobin ? (int) (nextStream.getAndIncrement() % streams.length) : client;
                        long t0 = System.nanoTime();
                        long[] seqs = conn.append(streams[s], options.batchEvents());
                        long acked = System.nanoTime();
                        if (seqs[1] - seqs[0] + 1 != options.batchEvents()) {
                            throw new IllegalStateException("an append of " + options.batchEvents() + " events was acknowledged as seqs " + seqs[0] + ".." + seqs[1]);
                        }
                        if (!clock.ack(seqs[0], seqs[1], acked)) {
                            throw new IllegalStateException("seqs " + seqs[0] + ".." + seqs[1] + " fall outside the ack clock (base " + clock.baseSeq()
                                    + ", capacity " + clock.capacity() + "): is someone else appending fast?");
                        }
                        latency.recordValue(Math.max(1, (acked - t0) / 1000));
                        streamEvents.addAndGet(s, options.batchEvents());
                        streamLastSeq.accumulateAndGet(s, seqs[1], Math::max);
                        maxSeq.accumulateAndGet(seqs[1], Math::max);
                        events.addAndGet(options.batchEvents());
                        requests.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    ended = true;
                } finally {
                    endNanos.accumulateAndGet(System.nanoTime(), Math::max);
                    done.countDown();
                }
            });
        }
    }

    /** Ends the load early (another part of the benchmark failed). */
    void end() {
        ended = true;
    }

    void join() throws InterruptedException {
        done.await();
    }

    long events() { return events.get(); }
    long requests() { return requests.get(); }
    long maxSeq() { return maxSeq.get(); }
    long streamEvents(int stream) { return streamEvents.get(stream); }
    long streamLastSeq(int stream) { return streamLastSeq.get(stream); }
    Throwable failure() { return failure.get(); }
    boolean clockFull() { return clockFull; }
    long startNanos() { return startNanos; }

    /** Seconds from the start to the last client's end. */
    double seconds() {
        return (endNanos.get() - startNanos) / 1e9;
    }

    /** Ack latency as the appenders saw it, in microseconds. */
    Histogram latency() {
        return latency.getIntervalHistogram();
    }
}
