package dev.esctl.cli;

import dev.esctl.bench.BenchStop;
import dev.esctl.bench.LoadTarget;
import dev.esctl.bench.WatchBenchmark;
import dev.esctl.engine.EventStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "watch",
        description = {"Watch delivery under append load: W watchers follow the log from its end, then appenders add events at a target rate. "
                + "Measures, per event and watcher, the time from the appender's ack to the watcher reading the event (same process, same clock), "
                + "and checks that every watcher received every event exactly once and in order (exit 1 when not).",
                "Against a daemon (--server) each watcher is a long-lived GET /watch on its own connection; in-process (a temporary store, "
                        + "or --data; --fsync, --segment-size and --max-event-size apply to it) it is the engine's watch."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  esctl bench watch --server http://127.0.0.1:7171 --watchers 1000 --rate 10000",
                "  esctl bench watch --server http://127.0.0.1:7171 --watch stream --watchers 1000 --duration 30s --json",
                "  esctl bench watch --watchers 100 --rate 0 --events 100000     # in-process, unpaced"})
final class BenchWatchCommand implements Callable<Integer> {
    @Mixin BenchTarget target;
    @Mixin WriteOptions write;
    @Mixin DeliveryLoadOptions load;

    @Option(names = "--watchers", paramLabel = "W", defaultValue = "100", description = "Watchers, each on its own connection. Default: ${DEFAULT-VALUE}.")
    int watchers;

    @Option(names = "--watch", paramLabel = "SCOPE", defaultValue = "all",
            description = "What each watcher follows: all (every event, the log walk), subtree (the benchmark's streams, the index path), "
                    + "or stream (one stream each; the appends are spread over them, so each event goes to one watcher). Default: ${DEFAULT-VALUE}.")
    String scope;

    @Option(names = "--appenders", paramLabel = "N", defaultValue = "8", description = "Appending clients, each on its own connection, sharing the rate. Default: ${DEFAULT-VALUE}.")
    int appenders;

    @Option(names = "--rate", paramLabel = "EVENTS/S", defaultValue = "10000",
            description = "Events per second to append, paced (0: as fast as acks come). Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long to append. Default: ${DEFAULT-VALUE}.")
    long durationMs;

    @Option(names = "--events", paramLabel = "N", defaultValue = "" + Long.MAX_VALUE, description = "Stop appending after N events.")
    long maxEvents;

    @Option(names = "--json", description = "One JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        WatchBenchmark.Scope s = switch (scope) {
            case "all" -> WatchBenchmark.Scope.ALL;
            case "subtree" -> WatchBenchmark.Scope.SUBTREE;
            case "stream" -> WatchBenchmark.Scope.STREAM;
            default -> throw new IllegalArgumentException("--watch '" + scope + "' is not all, subtree or stream");
        };
        WatchBenchmark.Options options = new WatchBenchmark.Options(watchers, s, appenders, load.batch, load.eventSize, rate, durationMs, maxEvents, load.drainMs);
        try (BenchStop stop = BenchStop.onSignal()) {
            if (target.http()) {
                LoadTarget t = target.httpTarget(load.eventSize);
                return finish(WatchBenchmark.run(t, options, target.probe(t), stop), "watch");
            }
            Path dir = target.data != null ? target.data : BenchTarget.temporaryStore();
            try (EventStore store = EventStore.open(dir, write.config())) {
                return finish(WatchBenchmark.run(LoadTarget.inProcess(store, load.eventSize), options, null, stop), "watch");
            } finally {
                if (target.data == null) BenchCommand.deleteTree(dir);
            }
        }
    }

    /** Prints the report; a failed check is said on stderr and gives exit code 1. */
    int finish(WatchBenchmark.Outcome outcome, String command) {
        if (json) outcome.report().printJson(System.out); else outcome.report().printTable(System.out);
        System.out.flush();
        return failed(outcome, command);
    }

    static int failed(WatchBenchmark.Outcome outcome, String command) {
        if (outcome.ok()) return ExitCodes.OK;
        System.err.println("esctl bench " + command + ": FAILED: " + outcome.problems().size() + " problem(s):");
        outcome.problems().stream().limit(20).forEach(p -> System.err.println("  " + p));
        if (outcome.problems().size() > 20) System.err.println("  ... and " + (outcome.problems().size() - 20) + " more");
        return ExitCodes.ERROR;
    }
}
