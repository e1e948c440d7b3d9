package dev.esctl.bench;

import dev.esctl.engine.EventStore;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Append load: N clients, each appending a batch of B events of about S bytes and waiting for
 * its acknowledgement before the next, to its own stream or one shared stream, optionally
 * with an exact expectation (a client that loses a race re-reads and retries) — in-process
 * (the engine alone) or over HTTP against a daemon. Measures events/s, MB/s of payload, ack
 * latency as the client sees it, events per fsync and this process's CPU time.
 */
public final class AppendBenchmark {
    public record Options(int clients, int batchEvents, int eventBytes, boolean sharedStream, boolean expect,
                          long durationMs, long maxEvents) {}

    /** Where the load goes: a store in this process, or a daemon over HTTP. */
    public interface Target {
        Appender appender(byte[] data);

        /** fsyncs and events committed so far, as the writer counts them (for events per fsync). */
        long[] writerCounts() throws Exception;

        String describe();
    }

    public static Target inProcess(EventStore store) {
        return new Target() {
            public Appender appender(byte[] data) { return new InProcessAppender(store, data); }
            public long[] writerCounts() { return new long[] {store.stats().forces(), store.stats().events()}; }
            public String describe() { return "in-process, fsync " + store.config().fsync(); }
        };
    }

    public static Target http(java.net.URI server, String token) {
        return new Target() {
            public Appender appender(byte[] data) { return new HttpAppender(server, token, data); }
            public long[] writerCounts() throws Exception {
                try (KeepAliveHttp h = new KeepAliveHttp(server, token)) {
                    String info = new String(h.get("/info").body(), java.nio.charset.StandardCharsets.UTF_8);
                    String writer = info.substring(Math.max(0, info.indexOf("\"writer\":")));
                    return new long[] {JsonFields.number(writer, "fsyncs"), JsonFields.number(writer, "events")};
                }
            }
            public String describe() { return "HTTP " + server; }
        };
    }

    private final Target target;
    private final Options options;

    public AppendBenchmark(Target target, Options options) {
        this.target = target;
        this.options = options;
    }

    public BenchReport run() throws Exception {
        byte[] data = payload(options.eventBytes());
        Recorder recorder = new Recorder(3);
        AtomicLong events = new AtomicLong();
        AtomicLong conflicts = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        long[] before = target.writerCounts();
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        long deadline = start + options.durationMs() * 1_000_000L;
        CountDownLatch done = new CountDownLatch(options.clients());
        for (int c = 0; c < options.clients(); c++) {
            String stream = options.sharedStream() ? "bench/shared" : "bench/client-" + c + "-" + start;
            Thread.ofPlatform().name("bench-client-" + c).daemon().start(() -> {
                try (Appender appender = target.appender(data)) {
                    long version = options.expect() ? appender.lastVersion(stream) : -1;
                    while (System.nanoTime() < deadline && events.get() < options.maxEvents()) {
                        long t0 = System.nanoTime();
                        long v = appender.append(stream, options.batchEvents(), version);
                        if (v < 0) {
                            conflicts.incrementAndGet();
                            version = appender.lastVersion(stream);
                            continue;
                        }
                        recorder.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                        events.addAndGet(options.batchEvents());
                        if (options.expect()) version = v;
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        if (failure.get() != null) throw new IllegalStateException("a bench client failed: " + failure.get(), failure.get());
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = processCpuNanos() - cpuBefore;
        long[] after = target.writerCounts();
        Histogram latency = recorder.getIntervalHistogram();
        long n = events.get();
        long fsyncs = after[0] - before[0];
        return new BenchReport("append (" + target.describe() + ")")
                .parameter("clients", options.clients())
                .parameter("batch events", options.batchEvents())
                .parameter("event data bytes", options.eventBytes())
                .parameter("stream", options.sharedStream() ? "shared" : "one per client")
                .parameter("expectation", options.expect() ? "exact version" : "any")
                .parameter("duration s", String.format(java.util.Locale.ROOT, "%.1f", seconds))
                .result("events", n)
                .result("events/s", n / seconds)
                .result("MB/s (data)", n * (double) options.eventBytes() / seconds / 1e6)
                .result("fsyncs", fsyncs)
                .result("events per fsync", fsyncs <= 0 ? 0.0 : (after[1] - before[1]) / (double) fsyncs)
                .result("conflicts", conflicts.get())
                .result("cpu s (this process)", cpu / 1e9)
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
