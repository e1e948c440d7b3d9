package dev.esctl.cli;

import dev.esctl.bench.BenchReport;
import dev.esctl.bench.BenchStop;
import dev.esctl.bench.LoadTarget;
import dev.esctl.bench.ReadBenchmark;
import dev.esctl.bench.ReadLoadBenchmark;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.StoreConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "read",
        description = {"Read load in one of three modes: all (every event from seq 1 as ndjson: events/s and MB/s; each read is checked to "
                + "return seqs 1, 2, 3, ... up to at least the head), stream (one small stream over and over: time per read), or random "
                + "(whole streams picked at random from a populated store: time per read) — against a daemon (--server, over HTTP) or "
                + "in-process (--data; reads are encoded as ndjson as the daemon would send them).",
                "In-process without --mode it reports the store's read costs instead: open time, heap per stream, one-stream read latency, "
                        + "read-all throughput vs a plain FileChannel read."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  esctl bench populate --data /tmp/bench --events 1000000 --streams 100000",
                "  esctl bench read --server http://127.0.0.1:7171 --mode all --duration 20s",
                "  esctl bench read --server http://127.0.0.1:7171 --mode stream --stream-events 10",
                "  esctl bench read --server http://127.0.0.1:7171 --mode random --streams 100000 --clients 4 --json",
                "  esctl bench read --data /tmp/bench                # in-process read costs"})
final class BenchReadCommand implements Callable<Integer> {
    @Mixin BenchTarget target;

    @Option(names = "--mode", paramLabel = "MODE",
            description = "all, stream or random (default: all with --server; in-process without it the read-costs report).")
    String mode;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "1", description = "Concurrent readers, each on its own connection. Default: ${DEFAULT-VALUE}.")
    int clients;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long to read after the warm-up. Default: ${DEFAULT-VALUE}.")
    long durationMs;

    @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "1s", converter = DurationConverter.class,
            description = "Read first for this long without counting (JIT, caches). Default: ${DEFAULT-VALUE}.")
    long warmupMs;

    @Option(names = "--events", paramLabel = "N", defaultValue = "" + Long.MAX_VALUE, description = "Stop after N events counted.")
    long maxEvents;

    @Option(names = "--stream", paramLabel = "NAME", description = "Mode stream: read this stream (default: a new one of --stream-events events).")
    String stream;

    @Option(names = "--stream-events", paramLabel = "N", defaultValue = "10", description = "Mode stream: events of the stream it creates. Default: ${DEFAULT-VALUE}.")
    int streamEvents;

    @Option(names = "--streams", paramLabel = "K", defaultValue = "0",
            description = "Mode random: pick among the K streams bench populate --streams K made (0: among all the store lists). Default: ${DEFAULT-VALUE}.")
    long streams;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "20000", description = "Read-costs report: one-stream reads to time. Default: ${DEFAULT-VALUE}.")
    int samples;

    @Option(names = "--writable", description = "In-process: open for writing (recovery and index rebuild as the daemon does) instead of read-only.")
    boolean writable;

    @Option(names = "--json", description = "JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        boolean http = target.http();
        if (http && writable) throw new IllegalArgumentException("--writable is for in-process runs (--data), not --server");
        ReadLoadBenchmark.Mode m = mode == null ? (http ? ReadLoadBenchmark.Mode.ALL : null) : switch (mode) {
            case "all" -> ReadLoadBenchmark.Mode.ALL;
            case "stream" -> ReadLoadBenchmark.Mode.STREAM;
            case "random" -> ReadLoadBenchmark.Mode.RANDOM;
            default -> throw new IllegalArgumentException("--mode '" + mode + "' is not all, stream or random");
        };
        ReadLoadBenchmark.Options options = new ReadLoadBenchmark.Options(m, clients, warmupMs, durationMs, maxEvents, stream, streamEvents, streams);
        BenchReport report;
        try (BenchStop stop = BenchStop.onSignal()) {
            if (http) {
                LoadTarget t = target.httpTarget(200);
                report = ReadLoadBenchmark.run(t, options, target.probe(t), stop);
            } else {
                Path dir = target.data != null ? target.data : envData();
                // Mode stream creates its stream: the store must be writable.
                boolean write = writable || (m == ReadLoadBenchmark.Mode.STREAM && stream == null);
                try (EventStore es = write ? EventStore.open(dir, StoreConfig.defaults()) : EventStore.openReadOnly(dir)) {
                    report = m == null ? ReadBenchmark.run(es, samples, 42)
                            : ReadLoadBenchmark.run(LoadTarget.inProcess(es, 200), options, null, stop);
                }
            }
            if (json) report.printJson(System.out); else report.printTable(System.out);
            System.out.flush();
        }
        return ExitCodes.OK;
    }

    private static Path envData() {
        String env = System.getenv("ESCTL_DATA");
        if (env == null || env.isEmpty()) throw new IllegalArgumentException("in-process needs a store: pass --data DIR (or --server URL)");
        return Path.of(env);
    }
}
