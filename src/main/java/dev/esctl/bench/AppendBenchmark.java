package dev.esctl.bench;

import dev.esctl.engine.AppendBatch;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.Expectation;
import dev.esctl.engine.NewEvent;
import dev.esctl.engine.WrongExpectedVersionException;
import dev.esctl.engine.WriterStats;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * In-process append load: N clients, each appending a batch of B events of about S bytes and
 * waiting for its acknowledgement before the next, to its own stream or one shared stream,
 * optionally with an exact expectation (a client that loses a race re-reads and retries).
 * Measures events/s, MB/s of payload, ack latency (enqueue to acknowledgement), events per
 * fsync and process CPU time.
 */
public final class AppendBenchmark {
    public record Options(int clients, int batchEvents, int eventBytes, boolean sharedStream, boolean expect,
                          long durationMs, long maxEvents) {}

    private final EventStore store;
    private final Options options;

    public AppendBenchmark(EventStore store, Options options) {
        this.store = store;
        this.options = options;
    }

    public BenchReport run() throws InterruptedException {
        byte[] data = payload(options.eventBytes());
        Recorder recorder = new Recorder(3);
        AtomicLong events = new AtomicLong();
        AtomicLong conflicts = new AtomicLong();
        WriterStats stats = store.stats();
        long forcesBefore = stats.forces(), groupsBefore = stats.groups(), eventsBefore = stats.events();
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        long deadline = start + options.durationMs() * 1_000_000L;
        CountDownLatch done = new CountDownLatch(options.clients());
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < options.clients(); c++) {
            String stream = options.sharedStream() ? "bench/shared" : "bench/client-" + c + "-" + start;
            threads.add(Thread.ofPlatform().name("bench-client-" + c).start(() -> {
                try {
                    while (System.nanoTime() < deadline && events.get() < options.maxEvents()) {
                        List<NewEvent> batch = new ArrayList<>(options.batchEvents());
                        for (int i = 0; i < options.batchEvents(); i++) batch.add(new NewEvent(stream, "BenchEvent", null, data, null));
                        Expectation expectation = Expectation.ANY;
                        if (options.expect()) {
                            var s = store.stream(stream);
                            expectation = new Expectation.Exact(s == null ? 0 : s.lastVersion());
                        }
                        long t0 = System.nanoTime();
                        try {
                            store.append(AppendBatch.toStream(batch, expectation, store.config().maxEventBytes()));
                            recorder.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                            events.addAndGet(options.batchEvents());
                        } catch (WrongExpectedVersionException e) {
                            conflicts.incrementAndGet();
                        }
                    }
                } finally {
                    done.countDown();
                }
            }));
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = processCpuNanos() - cpuBefore;
        Histogram latency = recorder.getIntervalHistogram();
        long n = events.get();
        long forces = stats.forces() - forcesBefore;
        long groups = stats.groups() - groupsBefore;
        return new BenchReport("append (in-process)")
                .parameter("clients", options.clients())
                .parameter("batch events", options.batchEvents())
                .parameter("event data bytes", options.eventBytes())
                .parameter("stream", options.sharedStream() ? "shared" : "one per client")
                .parameter("expectation", options.expect() ? "exact version" : "any")
                .parameter("fsync", store.config().fsync().toString())
                .parameter("duration s", String.format(java.util.Locale.ROOT, "%.1f", seconds))
                .result("events", n)
                .result("events/s", n / seconds)
                .result("MB/s (data)", n * (double) options.eventBytes() / seconds / 1e6)
                .result("fsyncs", forces)
                .result("events per fsync", forces == 0 ? 0.0 : (stats.events() - eventsBefore) / (double) forces)
                .result("groups", groups)
                .result("conflicts", conflicts.get())
                .result("cpu s", cpu / 1e9)
                .latency(latency);
    }

    static byte[] payload(int bytes) {
        String prefix = "{\"amount\":12.5,\"note\":\"";
        int pad = Math.max(0, bytes - prefix.length() - 2);
        char[] fill = new char[pad];
        Arrays.fill(fill, 'x');
        return (prefix + new String(fill) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }
}
