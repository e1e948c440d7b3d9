package dev.esctl.cli;

import dev.esctl.engine.AppendBatch;
import dev.esctl.engine.AppendResult;
import dev.esctl.engine.BadInputException;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.Expectation;
import dev.esctl.engine.NewEvent;
import dev.esctl.engine.StoreConfig;
import dev.esctl.engine.StreamRange;
import dev.esctl.wire.EventParser;
import dev.esctl.wire.EventWriter;
import dev.esctl.wire.LineReader;
import dev.esctl.wire.ParsedEvent;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "append",
        description = {
                "Append ndjson events read from stdin, atomically.",
                "",
                "Each line is an event {\"type\":…,\"data\":…} with optional \"meta\" (object), \"id\" (UUID) and, without STREAM, \"stream\" and \"expect\". "
                        + "With --type each line is a raw JSON payload. The whole input is one atomic batch (all or nothing) unless --batch-size splits it; "
                        + "then each batch is atomic, earlier batches stay committed when a later one fails, and each batch after the first expects the version the previous one left.",
                "Prints one JSON line per committed batch: first/last seq, count, and per stream first/last version."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  echo '{\"type\":\"OrderPlaced\",\"data\":{\"total\":12}}' | esctl append orders/42 --data ./esctl-data",
                "  jq -c '.[]' payloads.json | esctl append orders/42 --type OrderImported --expect none --data ./esctl-data",
                "  esctl append --data ./esctl-data --batch-size 1000 < multi-stream.ndjson"})
final class AppendCommand implements Callable<Integer> {
    @Mixin StoreOptions store;
    @Mixin WriteOptions write;

    @Parameters(index = "0", arity = "0..1", paramLabel = "STREAM",
            description = "Stream to append to. Without it, every line names its \"stream\" (one batch may span many streams).")
    String stream;

    @Option(names = "--expect", paramLabel = "EXPECTATION",
            description = "Optimistic concurrency: any (default), none (stream must not exist), exists, or N (stream must be at version N). Without STREAM it applies to every stream in the batch.")
    String expect;

    @Option(names = "--type", paramLabel = "TYPE", description = "Event type of every line; each line is then the raw JSON data.")
    String type;

    @Option(names = "--batch-size", paramLabel = "N", description = "Commit every N events as one batch (bulk import) instead of the whole input as one.")
    Integer batchSize;

    private final Map<String, Expectation> nextExpectation = new HashMap<>();

    @Override
    public Integer call() throws Exception {
        if (batchSize != null && batchSize < 1) throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
        StoreConfig config = write.config();
        Expectation cliExpectation = expect == null ? null : Expectation.parse(expect);
        EventParser parser = new EventParser(stream, type);
        InputStream in = new FileInputStream(FileDescriptor.in);
        LineReader lines = new LineReader(in, config.maxEventBytes() + 64 * 1024);
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
        EventWriter writer = new EventWriter(out);
        int limit = batchSize == null ? Integer.MAX_VALUE : batchSize;
        long committed = 0;
        try (EventStore es = store.openForWriting(config)) {
            List<ParsedEvent> batch = new ArrayList<>();
            while (lines.next()) {
                batch.add(parser.parse(lines.bytes(), 0, lines.length(), lines.lineNumber()));
                if (batch.size() == limit) {
                    committed += commit(es, batch, cliExpectation, config, writer);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) committed += commit(es, batch, cliExpectation, config, writer);
        } finally {
            writer.flush();
        }
        if (committed == 0) System.err.println("esctl: nothing to append (no events on stdin)");
        return ExitCodes.OK;
    }

    private long commit(EventStore es, List<ParsedEvent> parsed, Expectation cliExpectation, StoreConfig config, EventWriter writer) throws Exception {
        List<NewEvent> events = new ArrayList<>(parsed.size());
        Map<String, Expectation> expectations = new LinkedHashMap<>();
        for (ParsedEvent p : parsed) {
            events.add(p.event());
            String s = p.event().stream();
            Expectation wanted = nextExpectation.containsKey(s) ? nextExpectation.get(s) : p.expectation() != null ? p.expectation() : cliExpectation;
            if (p.expectation() != null && cliExpectation != null && !p.expectation().equals(cliExpectation)) {
                throw new BadInputException("invalid_expectation", "stream \"" + s + "\" has expect " + p.expectation().wire() + " on a line but --expect " + cliExpectation.wire());
            }
            if (wanted == null || wanted instanceof Expectation.Any) continue;
            Expectation before = expectations.putIfAbsent(s, wanted);
            if (before != null && !before.equals(wanted) && !nextExpectation.containsKey(s)) {
                throw new BadInputException("invalid_expectation", "stream \"" + s + "\" has two different expectations in one batch: " + before.wire() + " and " + wanted.wire());
            }
        }
        AppendResult result = es.append(new AppendBatch(events, expectations, config.maxEventBytes()));
        // A later batch of a split input must find each stream where this one left it.
        for (StreamRange r : result.streams()) {
            if (expectations.containsKey(r.stream()) || nextExpectation.containsKey(r.stream())) {
                nextExpectation.put(r.stream(), new Expectation.Exact(r.lastVersion()));
            }
        }
        writer.write(result);
        writer.flush();
        return result.count();
    }
}
