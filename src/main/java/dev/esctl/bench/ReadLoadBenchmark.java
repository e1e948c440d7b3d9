package dev.esctl.bench;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Read load against a daemon (over HTTP) or a store in this process, in one of three modes:
 * everything from seq 1 as ndjson (throughput; every read is checked to return 1, 2, 3, … up to
 * at least the head it started at), one stream of a few events over and over (latency), or
 * streams picked at random from a populated store (latency over a working set larger than any
 * cache). Reports events/s, MB/s of ndjson, time per read and CPU time.
 */
public final class ReadLoadBenchmark {
    public enum Mode { ALL, STREAM, RANDOM }

    /**
     * @param stream        mode stream: the stream to read (null: create one of {@code streamEvents} events)
     * @param populated     mode random: pick among {@code acct/…} names of {@code bench populate} with this many streams (0: list the store's streams)
     */
    public record Options(Mode mode, int clients, long warmupMs, long durationMs, long maxEvents, String stream, int streamEvents, long populated) {}

    private ReadLoadBenchmark() {}

    public static BenchReport run(LoadTarget target, Options o, ServerProbe probe, BenchStop stop) throws Exception {
        BenchReport report = new BenchReport("read " + o.mode().name().toLowerCase() + " (" + target.describe() + ")")
                .parameter("mode", switch (o.mode()) {
                    case ALL -> "all: every event from seq 1";
                    case STREAM -> "stream: one stream, whole";
                    case RANDOM -> "random: a random stream, whole";
                })
                .parameter("clients", o.clients());
        Function<SplittableRandom, String> streams;
        long expect = -1;
        switch (o.mode()) {
            case ALL -> {
                streams = r -> null;
                report.parameter("head seq at start", target.headSeq());
            }
            case STREAM -> {
                String name = o.stream();
                if (name == null) {
                    if (o.streamEvents() < 1) throw new IllegalArgumentException("--stream-events must be at least 1, got " + o.streamEvents());
                    name = "bench-read/" + System.currentTimeMillis();
                    try (LoadTarget.Connection c = target.connect()) {
                        c.append(name, o.streamEvents());
                    }
                    expect = o.streamEvents();
                }
                String chosen = name;
                streams = r -> chosen;
                report.parameter("stream", name + (expect > 0 ? " (" + expect + " events, created)" : ""));
            }
            case RANDOM -> {
                if (o.populated() > 0) {
                    streams = r -> Populate.streamName(r.nextLong(o.populated()));
                    report.parameter("streams", o.populated() + " of bench populate (acct/<i/1000>/<i%1000>)");
                } else {
                    List<String> names = target.streams(Integer.MAX_VALUE - 8);
                    if (names.isEmpty()) throw new IllegalArgumentException("the store has no streams to read: fill it first (esctl bench populate)");
                    streams = r -> names.get(r.nextInt(names.size()));
                    report.parameter("streams", names.size() + " (all the store has)");
                }
            }
            default -> throw new AssertionError(o.mode());
        }
        report.parameter("warm-up s", o.warmupMs() / 1000.0)
                .parameter("duration s", o.durationMs() / 1000.0)
                .parameter("max events", o.maxEvents() == Long.MAX_VALUE ? "-" : o.maxEvents());

        ReadLoad load = new ReadLoad(target, new ReadLoad.Options(o.clients(), o.warmupMs(), o.durationMs(), o.maxEvents(), expect), streams, stop);
        long cpuBefore = AppendBenchmark.processCpuNanos();
        ServerProbe.Sampler sampler = probe == null ? null : probe.sampler();
        try {
            load.start();
            load.join();
        } finally {
            if (sampler != null) sampler.close();
        }
        if (load.failure() != null) throw new IllegalStateException("a read failed: " + load.failure().getMessage(), load.failure());
        double seconds = load.seconds();
        report.result("reads", load.reads())
                .result("events", load.events())
                .result("events/s", WatchBenchmark.perSecond(load.events(), seconds))
                .result("MB/s (ndjson)", WatchBenchmark.perSecond(load.bytes(), seconds) / 1e6)
                .result("reads/s", WatchBenchmark.perSecond(load.reads(), seconds))
                .result("events per read", load.reads() == 0 ? 0.0 : load.events() / (double) load.reads())
                .result("bytes per event", load.events() == 0 ? 0.0 : load.bytes() / (double) load.events())
                .result("seconds", seconds)
                .result("cpu s (this process)", (AppendBenchmark.processCpuNanos() - cpuBefore) / 1e9);
        if (o.mode() == Mode.ALL) report.result("check", "ok: every read returned seqs 1, 2, 3, ... up to at least the head");
        if (sampler != null) sampler.report(report);
        return report.latency(load.latency());
    }
}
