package dev.esctl.cli;

import dev.esctl.bench.AppendBenchmark;
import dev.esctl.bench.BenchReport;
import dev.esctl.bench.FsyncBenchmark;
import dev.esctl.engine.EventStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench",
        description = {"Built-in load generator: appends, reads, watches, or all three at once, against a daemon (--server, over HTTP) or in-process. "
                + "Prints its parameters, then events/s, MB/s, latency percentiles (HdrHistogram), CPU time and, against a daemon, its memory; "
                + "a table, or one JSON object with --json. Bounded by --duration or --events; Ctrl-C stops a run early and still prints what it measured."},
        subcommands = {BenchCommand.Append.class, BenchCommand.Fsync.class, BenchCommand.Populate.class, BenchReadCommand.class,
                BenchWatchCommand.class, BenchMixedCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
                "  esctl bench append --clients 1,16,64 --duration 10s",
                "  esctl bench fsync --dir /var/lib/esctl",
                "  esctl bench read --server http://127.0.0.1:7171 --mode all",
                "  esctl bench watch --server http://127.0.0.1:7171 --watchers 1000 --rate 10000",
                "  esctl bench mixed --server http://127.0.0.1:7171 --duration 30s"})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    @Command(name = "append", description = {
            "Append load: N clients each append a batch and wait for its ack — against a daemon (--server, over HTTP) or in-process (no HTTP).",
            "In-process without --data it uses a fresh temporary store next to the current directory and deletes it afterwards."},
            footerHeading = "%nExamples:%n",
            footer = {
                    "  esctl bench append --clients 1,16,64 --duration 10s",
                    "  esctl bench append --server http://127.0.0.1:7171 --clients 16 --batch 10",
                    "  esctl bench append --metrics compare --rounds 3 --json"})
    static final class Append implements Callable<Integer> {
        @Option(names = "--data", paramLabel = "DIR", description = "Store to append to in-process (default: a temporary one).")
        Path data;

        @Option(names = "--server", paramLabel = "URL", description = "Append over HTTP to this daemon instead of in-process.")
        String server;

        @Option(names = "--token-file", paramLabel = "FILE", description = "Bearer token for --server. Env: ESCTL_TOKEN.")
        Path tokenFile;

        @Mixin WriteOptions write;

        @Option(names = "--clients", paramLabel = "N[,N...]", split = ",", defaultValue = "1,16,64",
                description = "Concurrent clients; several values run one after another in the same store. Default: ${DEFAULT-VALUE}.")
        List<Integer> clients;

        @Option(names = "--batch", paramLabel = "B", defaultValue = "1", description = "Events per append. Default: ${DEFAULT-VALUE}.")
        int batch;

        @Option(names = "--event-size", paramLabel = "BYTES", defaultValue = "200", description = "Bytes of JSON data per event. Default: ${DEFAULT-VALUE}.")
        int eventSize;

        @Option(names = "--shared-stream", description = "All clients append to one stream (default: one stream per client).")
        boolean shared;

        @Option(names = "--expect", description = "Append with an exact expected version (retrying on conflict).")
        boolean expect;

        @Option(names = "--duration", paramLabel = "TIME", defaultValue = "10s", converter = DurationConverter.class,
                description = "How long each run lasts. Default: ${DEFAULT-VALUE}.")
        long durationMs;

        @Option(names = "--events", paramLabel = "N", defaultValue = "" + Long.MAX_VALUE, description = "Stop a run after N events.")
        long maxEvents;

        @Option(names = "--json", description = "One JSON object per run instead of a table.")
        boolean json;

        @Option(names = "--metrics", paramLabel = "MODE", defaultValue = "off",
                description = "Metrics recording as the daemon does it (histograms fed by the writer, a scrape every second): off, on, "
                        + "or compare (each client count runs off and on, in the same store, and a summary compares them). Default: ${DEFAULT-VALUE}.")
        String metrics;

        @Option(names = "--rounds", paramLabel = "R", defaultValue = "1",
                description = "With --metrics compare: rounds per client count, alternating the order (off-on, on-off, ...); the summary takes medians. Default: ${DEFAULT-VALUE}.")
        int rounds;

        @Override
        public Integer call() throws Exception {
            if (server != null) {
                run(AppendBenchmark.http(java.net.URI.create(server), StoreOptions.token(tokenFile)));
                return ExitCodes.OK;
            }
            List<Boolean> modes = switch (metrics) {
                case "off" -> List.of(false);
                case "on" -> List.of(true);
                case "compare" -> List.of(false, true);
                default -> throw new IllegalArgumentException("--metrics '" + metrics + "' is not off, on or compare");
            };
            boolean temporary = data == null;
            Path dir = temporary ? Files.createTempDirectory(Path.of("").toAbsolutePath(), "esctl-bench-") : data;
            if (rounds < 1) throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
            List<List<BenchReport>[]> compared = new java.util.ArrayList<>();
            try (EventStore store = EventStore.open(dir, write.config().withPreallocate(true));
                 MetricsScraper scraper = modes.contains(true) ? new MetricsScraper(store) : null) {
                for (int n : clients) {
                    if (n < 1) throw new IllegalArgumentException("--clients must be at least 1, got " + n);
                    @SuppressWarnings("unchecked")
                    List<BenchReport>[] byMode = new List[] {new java.util.ArrayList<BenchReport>(), new java.util.ArrayList<BenchReport>()};
                    for (int r = 0; r < (modes.size() == 2 ? rounds : 1); r++)
                    for (boolean on : r % 2 == 0 ? modes : modes.reversed()) {
                        store.stats().setListener(on ? scraper.listener() : new dev.esctl.engine.WriterStats.Listener() {});
                        BenchReport report = new AppendBenchmark(AppendBenchmark.inProcess(store), new AppendBenchmark.Options(n, batch, eventSize, shared, expect, durationMs, maxEvents)).run();
                        report.parameter("metrics", on ? "on" : "off");
                        if (json) report.printJson(System.out); else report.printTable(System.out);
                        byMode[on ? 1 : 0].add(report);
                    }
                    compared.add(byMode);
                }
                store.stats().setListener(new dev.esctl.engine.WriterStats.Listener() {});
                if (modes.size() == 2 && !json) MetricsScraper.printComparison(compared, System.out);
            } finally {
                if (temporary) deleteTree(dir);
            }
            return ExitCodes.OK;
        }

        private void run(AppendBenchmark.Target target) throws Exception {
            for (int n : clients) {
                if (n < 1) throw new IllegalArgumentException("--clients must be at least 1, got " + n);
                BenchReport report = new AppendBenchmark(target, new AppendBenchmark.Options(n, batch, eventSize, shared, expect, durationMs, maxEvents)).run();
                if (json) report.printJson(System.out); else report.printTable(System.out);
            }
        }
    }

    @Command(name = "fsync", description = "The disk's raw durable-write rate: 4 KiB write + fdatasync in a loop, growing and pre-allocated file.",
            footerHeading = "%nExamples:%n",
            footer = {"  esctl bench fsync --dir /var/lib/esctl", "  esctl bench fsync --duration 10s --json"})
    static final class Fsync implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".", description = "Directory on the disk to measure. Default: the current one.")
        Path dir;

        @Option(names = "--duration", paramLabel = "TIME", defaultValue = "5s", converter = DurationConverter.class, description = "Per file kind. Default: ${DEFAULT-VALUE}.")
        long durationMs;

        @Option(names = "--json", description = "JSON instead of a table.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            for (boolean preallocated : new boolean[] {false, true}) {
                BenchReport r = new FsyncBenchmark(dir, durationMs).run(preallocated);
                if (json) r.printJson(System.out); else r.printTable(System.out);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "populate", description = "Fill a store with N events over K streams (acct/<i/1000>/<i%%1000>), appended in multi-stream batches.",
            footerHeading = "%nExamples:%n",
            footer = {"  esctl bench populate --data /tmp/bench --events 1000000 --streams 100000",
                    "  esctl bench populate --data /tmp/bench --events 1000000 --streams 1000000 --fsync never"})
    static final class Populate implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Mixin WriteOptions write;

        @Option(names = "--events", paramLabel = "N", defaultValue = "1000000", description = "Events to append. Default: ${DEFAULT-VALUE}.")
        long events;

        @Option(names = "--streams", paramLabel = "K", defaultValue = "100000", description = "Streams to spread them over. Default: ${DEFAULT-VALUE}.")
        long streams;

        @Option(names = "--event-size", paramLabel = "BYTES", defaultValue = "200", description = "Bytes of JSON data per event. Default: ${DEFAULT-VALUE}.")
        int eventSize;

        @Option(names = "--batch", paramLabel = "B", defaultValue = "1000", description = "Events per batch. Default: ${DEFAULT-VALUE}.")
        int batch;

        @Option(names = "--hold", description = "After appending, print 'populated' and wait (to be killed: a crash with an unindexed tail).")
        boolean hold;

        @Option(names = "--json", description = "JSON instead of a table.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            ProgressBar bar = new ProgressBar("populating");
            EventStore es = EventStore.open(store.dataDir(), write.config());
            try {
                BenchReport r = dev.esctl.bench.Populate.run(es, events, streams, eventSize, batch, done -> bar.update(done, events));
                bar.finish();
                if (json) r.printJson(System.out); else r.printTable(System.out);
                if (hold) {
                    System.out.println("populated");
                    System.out.flush();
                    Thread.sleep(Long.MAX_VALUE);
                }
            } finally {
                es.close();
            }
            return ExitCodes.OK;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
