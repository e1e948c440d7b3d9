package dev.esctl.bench;

import dev.esctl.engine.EventStore;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

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
        /** Runs one client per stream of {@code streams} until the deadline or the event limit, counting into {@code tally}. */
        void drive(Options options, byte[] data, String[] streams, long deadlineNanos, AppendTally tally) throws Exception;

        /** fsyncs, events committed and nanoseconds spent forcing so far, as the writer counts them (-1: unknown). */
        long[] writerCounts() throws Exception;

        /** CPU seconds the daemon has used so far, or -1 in-process (where this process's own CPU time is the figure). */
        default double daemonCpuSeconds() throws Exception {
            return -1;
        }

        String describe();
    }

    /** The engine alone: a thread per client, each calling {@link EventStore#append}. */
    public static Target inProcess(EventStore store) {
        return new Target() {
            public void drive(Options options, byte[] data, String[] streams, long deadlineNanos, AppendTally tally) throws Exception {
                driveThreads(options, streams, deadlineNanos, tally, new InProcessAppender(store, data));
            }
            public long[] writerCounts() { return new long[] {store.stats().forces(), store.stats().events(), store.stats().forceNanos()}; }
            public String describe() { return "in-process, fsync " + store.config().fsync(); }
        };
    }

    /** A daemon over HTTP: every client on one event loop (see {@link HttpAppendLoop}). */
    public static Target http(URI server, String token) {
        return new Target() {
            public void drive(Options options, byte[] data, String[] streams, long deadlineNanos, AppendTally tally) throws Exception {
                new HttpAppendLoop(server, token, options, data, tally).run(deadlineNanos, streams);
            }
            public long[] writerCounts() throws Exception {
                try (KeepAliveHttp h = new KeepAliveHttp(server, token)) {
                    String info = new String(h.get("/info").body(), StandardCharsets.UTF_8);
                    String writer = info.substring(Math.max(0, info.indexOf("\"writer\":")));
                    double fsyncSeconds = JsonFields.decimal(writer, "fsyncSeconds");
                    return new long[] {JsonFields.number(writer, "fsyncs"), JsonFields.number(writer, "events"),
                            fsyncSeconds < 0 ? -1 : Math.round(fsyncSeconds * 1e9)};
                }
            }
            public double daemonCpuSeconds() throws Exception { return ServerProbe.http(server, token).sample().cpuSeconds(); }
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
        AppendTally tally = new AppendTally();
        long[] before = target.writerCounts();
        double daemonCpuBefore = target.daemonCpuSeconds();
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        String[] streams = new String[options.clients()];
        for (int c = 0; c < streams.length; c++) streams[c] = options.sharedStream() ? "bench/shared" : "bench/client-" + c + "-" + start;
        target.drive(options, data, streams, start + options.durationMs() * 1_000_000L, tally);
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = processCpuNanos() - cpuBefore;
        long[] after = target.writerCounts();
        double daemonCpu = daemonCpuBefore < 0 ? -1 : target.daemonCpuSeconds() - daemonCpuBefore;
        Histogram latency = tally.latency();
        long n = tally.events();
        long fsyncs = after[0] - before[0];
        BenchReport report = new BenchReport("append (" + target.describe() + ")")
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
                // The writer's own fsync time: with latency p50 it shows what an append costs beyond its force.
                .result("fsync ms (mean)", fsyncs <= 0 || after[2] < 0 || before[2] < 0 ? 0.0 : (after[2] - before[2]) / 1e6 / fsyncs)
                .result("conflicts", tally.conflicts())
                .result("cpu s (this process)", cpu / 1e9);
        if (daemonCpu >= 0) {
            // What an append costs the daemon: with the load generator on the same cores, the ceiling.
            report.result("daemon cpu s", daemonCpu).result("daemon cpu us/event", n == 0 ? 0.0 : daemonCpu * 1e6 / n);
        }
        return report.latency(latency);
    }

    /** A thread per client, each appending and waiting for its ack before the next; a client that loses a race re-reads its version. */
    private static void driveThreads(Options options, String[] streams, long deadlineNanos, AppendTally tally, InProcessAppender appender)
            throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(streams.length);
        for (int c = 0; c < streams.length; c++) {
            String stream = streams[c];
            Thread.ofPlatform().name("bench-client-" + c).daemon().start(() -> {
                try {
                    long version = options.expect() ? appender.lastVersion(stream) : -1;
                    while (System.nanoTime() < deadlineNanos && tally.claim(options.batchEvents(), options.maxEvents())) {
                        long t0 = System.nanoTime();
                        long v;
                        while ((v = appender.append(stream, options.batchEvents(), version)) < 0) {
                            tally.conflict();
                            version = appender.lastVersion(stream);
                            t0 = System.nanoTime();
                        }
                        tally.acked(options.batchEvents(), (System.nanoTime() - t0) / 1000);
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
    }

    /** The ndjson body of an append of {@code events} benchmark events, each with {@code data}. */
    static byte[] ndjsonBody(byte[] data, int events) {
        byte[] line = ("{\"type\":\"BenchEvent\",\"data\":" + new String(data, StandardCharsets.UTF_8) + "}\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[line.length * events];
        for (int i = 0; i < events; i++) System.arraycopy(line, 0, body, i * line.length, line.length);
        return body;
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
