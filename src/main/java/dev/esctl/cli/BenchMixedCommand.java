package dev.esctl.cli;

import dev.esctl.bench.BenchStop;
import dev.esctl.bench.LoadTarget;
import dev.esctl.bench.MixedBenchmark;
import dev.esctl.bench.WatchBenchmark;
import dev.esctl.engine.EventStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "mixed",
        description = {"Appenders, readers and watchers at once for a duration; one row per role with events/s, MB/s and latency "
                + "(append: ack; read: request to last byte; watch: ack to delivery). Watchers follow everything and must receive "
                + "every appended event exactly once and in order (exit 1 when not).",
                "Readers read whole streams picked at random: bench populate's (--streams K), else every stream the store lists; "
                        + "a store without streams first gets 1,000 streams of 10 events. In-process (a temporary store, or --data) "
                        + "--fsync, --segment-size and --max-event-size apply to the store."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  esctl bench mixed --server http://127.0.0.1:7171 --appenders 4 --readers 4 --watchers 100 --duration 30s",
                "  esctl bench mixed --server http://127.0.0.1:7171 --rate 5000 --streams 100000 --json",
                "  esctl bench mixed --watchers 10 --duration 5s      # in-process, temporary store"})
final class BenchMixedCommand implements Callable<Integer> {
    @Mixin BenchTarget target;
    @Mixin WriteOptions write;
    @Mixin DeliveryLoadOptions load;

    @Option(names = "--appenders", paramLabel = "N", defaultValue = "4", description = "Appending clients, each to its own stream. Default: ${DEFAULT-VALUE}.")
    int appenders;

    @Option(names = "--readers", paramLabel = "R", defaultValue = "4", description = "Reading clients. Default: ${DEFAULT-VALUE}.")
    int readers;

    @Option(names = "--watchers", paramLabel = "W", defaultValue = "100", description = "Watchers of everything, each on its own connection. Default: ${DEFAULT-VALUE}.")
    int watchers;

    @Option(names = "--rate", paramLabel = "EVENTS/S", defaultValue = "0",
            description = "Total events per second to append, paced (0: each appender as fast as its acks come). Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--streams", paramLabel = "K", defaultValue = "0",
            description = "Readers pick among the K streams bench populate --streams K made (0: among all the store lists). Default: ${DEFAULT-VALUE}.")
    long streams;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "10s", converter = DurationConverter.class, description = "How long the run lasts. Default: ${DEFAULT-VALUE}.")
    long durationMs;

    @Option(names = "--events", paramLabel = "N", defaultValue = "" + Long.MAX_VALUE, description = "End the run after N events appended.")
    long maxEvents;

    @Option(names = "--json", description = "One JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (load.batch < 1) throw new IllegalArgumentException("--batch must be at least 1, got " + load.batch);
        MixedBenchmark.Options options = new MixedBenchmark.Options(appenders, readers, watchers, load.batch, load.eventSize, rate, durationMs, maxEvents, streams, load.drainMs);
        try (BenchStop stop = BenchStop.onSignal()) {
            if (target.http()) {
                LoadTarget t = target.httpTarget(load.eventSize);
                return finish(MixedBenchmark.run(t, options, target.probe(t), stop));
            }
            Path dir = target.data != null ? target.data : BenchTarget.temporaryStore();
            try (EventStore store = EventStore.open(dir, write.config())) {
                return finish(MixedBenchmark.run(LoadTarget.inProcess(store, load.eventSize), options, null, stop));
            } finally {
                if (target.data == null) BenchCommand.deleteTree(dir);
            }
        }
    }

    private int finish(WatchBenchmark.Outcome outcome) {
        if (json) outcome.report().printJson(System.out); else outcome.report().printTable(System.out);
        System.out.flush();
        return BenchWatchCommand.failed(outcome, "mixed");
    }
}
