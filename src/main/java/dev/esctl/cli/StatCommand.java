package dev.esctl.cli;

import dev.esctl.client.EsctlClient;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.StoreFacts;
import dev.esctl.wire.FactsJson;
import dev.esctl.wire.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "stat",
        description = {"Show what the store is: head seq and hash, events, streams, segments, bytes, index state, fsync policy, writer health, "
                + "what recovery did at open; from a server also version, uptime, append and read rates and watchers. "
                + "Readable on a terminal, --json for scripts (the /info document, plus \"rates\" from a server).",
                "Rates: the server's counters are read twice, --interval apart, and the difference is divided by the time between "
                        + "the reads; the ...SinceStart rates divide the counters by the uptime."},
        footerHeading = "%nExamples:%n",
        footer = {"  esctl stat", "  esctl stat --data ./esctl-data --json | jq .headSeq", "  esctl stat --server http://127.0.0.1:7171 --interval 5s"})
final class StatCommand implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--interval", paramLabel = "TIME", defaultValue = "1s", converter = DurationConverter.class,
            description = "From a server: sample the counters this far apart for the rates; 0: rates since start only. Default: ${DEFAULT-VALUE}.")
    long intervalMs;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String facts;
        if (store.offline()) {
            try (EventStore es = store.openForReading()) {
                facts = FactsJson.of(StoreFacts.of(es)).toString();
            }
        } else {
            if (intervalMs < 0) throw new IllegalArgumentException("--interval must not be negative");
            EsctlClient client = store.client();
            long t0 = System.nanoTime();
            String first = info(client);
            String second = first;
            long t1 = t0;
            if (intervalMs > 0) {
                Thread.sleep(intervalMs);
                t1 = System.nanoTime();
                second = info(client);
            }
            facts = withRates(second, StatView.parse(first), StatView.parse(second), (t1 - t0) / 1e9);
        }
        if (json) System.out.println(facts); else System.out.print(StatView.render(StatView.parse(facts)));
        return ExitCodes.OK;
    }

    private static String info(EsctlClient client) throws IOException {
        try (InputStream in = client.get("/info")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    /** The later /info document with "rates" added: per second over the interval (when there is one) and since start. */
    static String withRates(String json, Map<String, Object> before, Map<String, Object> after, double seconds) {
        double uptime = Math.max(1, number(after, "uptimeSeconds"));
        JsonObject rates = new JsonObject();
        if (seconds > 0) {
            rates.put("intervalSeconds", seconds)
                    .put("appendEventsPerSecond", delta(before, after, "writer", "events") / seconds)
                    .put("appendBatchesPerSecond", delta(before, after, "writer", "batches") / seconds)
                    .put("readEventsPerSecond", delta(before, after, "reads", "events") / seconds)
                    .put("readRequestsPerSecond", delta(before, after, "reads", "requests") / seconds);
        }
        rates.put("appendEventsPerSecondSinceStart", nested(after, "writer", "events") / uptime)
                .put("readEventsPerSecondSinceStart", nested(after, "reads", "events") / uptime);
        return json.substring(0, json.lastIndexOf('}')) + ",\"rates\":" + rates + "}";
    }

    private static double delta(Map<String, Object> before, Map<String, Object> after, String object, String field) {
        return nested(after, object, field) - nested(before, object, field);
    }

    private static double nested(Map<String, Object> m, String object, String field) {
        return m.get(object) instanceof Map<?, ?> o && o.get(field) instanceof Number n ? n.doubleValue() : 0;
    }

    private static double number(Map<String, Object> m, String field) {
        return m.get(field) instanceof Number n ? n.doubleValue() : 0;
    }
}
