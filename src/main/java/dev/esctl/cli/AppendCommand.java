package dev.esctl.cli;

import dev.esctl.client.EsctlClient;
import dev.esctl.engine.AppendResult;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.Expectation;
import dev.esctl.engine.StoreConfig;
import dev.esctl.engine.StreamRange;
import dev.esctl.wire.AppendResultJson;
import dev.esctl.wire.BatchAssembler;
import dev.esctl.wire.EventParser;
import dev.esctl.wire.EventWriter;
import dev.esctl.wire.LineReader;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
                        + "then each batch is atomic, earlier batches stay committed when a later one fails, and each batch after the first expects the version the previous one left "
                        + "(for streams that had an expectation).",
                "Prints one JSON line per committed batch: first/last seq, count, and per stream first/last version; \"replay\":true when the batch's ids were already committed with the same events (a retry: nothing is appended twice)."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  echo '{\"type\":\"OrderPlaced\",\"data\":{\"total\":12}}' | esctl append orders/42",
                "  jq -c '.[]' payloads.json | esctl append orders/42 --type OrderImported --expect none",
                "  esctl append --batch-size 1000 < multi-stream.ndjson",
                "  esctl append orders/42 --data ./esctl-data < events.ndjson      # offline, no daemon"})
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

    /** Per stream, the version the previous batch left, for streams whose batches carry an expectation. */
    private final Map<String, Expectation> chained = new HashMap<>();
    private long committed;

    @Override
    public Integer call() throws Exception {
        if (batchSize != null && batchSize < 1) throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
        Expectation expectation = expect == null ? null : Expectation.parse(expect);
        InputStream in = new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16);
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        if (store.offline()) offline(in, out, expectation); else remote(in, out, expectation);
        if (committed == 0) System.err.println("esctl: nothing to append (no events on stdin)");
        return ExitCodes.OK;
    }

    private void offline(InputStream in, OutputStream out, Expectation expectation) throws Exception {
        StoreConfig config = write.config();
        LineReader lines = new LineReader(in, config.maxEventBytes() + 64 * 1024);
        EventWriter writer = new EventWriter(out);
        int limit = batchSize == null ? Integer.MAX_VALUE : batchSize;
        try (EventParser parser = new EventParser(stream, type); EventStore es = store.openForWriting(config)) {
            BatchAssembler batch = new BatchAssembler(expectation, chained);
            while (lines.next()) {
                batch.add(parser.parse(lines.bytes(), 0, lines.length(), lines.lineNumber()), lines.lineNumber());
                if (batch.size() == limit) {
                    commitOffline(es, batch, expectation, config, writer);
                    batch = new BatchAssembler(expectation, chained);
                }
            }
            if (batch.size() > 0) commitOffline(es, batch, expectation, config, writer);
        }
    }

    private void commitOffline(EventStore es, BatchAssembler batch, Expectation expectation, StoreConfig config, EventWriter writer) throws Exception {
        var built = batch.build(config.maxEventBytes());
        AppendResult result = es.append(built);
        Map<String, Long> last = new LinkedHashMap<>();
        for (StreamRange r : result.streams()) last.put(r.stream(), r.lastVersion());
        chain(last, built.expectations().keySet(), expectation);
        writer.write(result);
        writer.flush();
        committed += result.count();
    }

    /** A later batch of a split input must find each stream with an expectation where this one left it. */
    private void chain(Map<String, Long> lastVersions, java.util.Set<String> expected, Expectation all) {
        lastVersions.forEach((s, v) -> {
            boolean hadExpectation = expected.contains(s) || chained.containsKey(s) || (all != null && !(all instanceof Expectation.Any));
            if (hadExpectation) chained.put(s, new Expectation.Exact(v));
        });
    }

    /**
     * Against a daemon: without --batch-size stdin is streamed to the server as one request (the
     * client holds no more than a buffer); with it, every N lines are one request.
     */
    private void remote(InputStream in, OutputStream out, Expectation expectation) throws Exception {
        EsctlClient client = store.client();
        if (batchSize == null) {
            in.mark(1);
            if (in.read() < 0) return;
            in.reset();
            byte[] result = client.post(target(expectation, 1), HttpRequest.BodyPublishers.ofInputStream(() -> in)).readAllBytes();
            print(out, result);
            return;
        }
        LineReader lines = new LineReader(in, write.config().maxEventBytes() + 64 * 1024);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 16);
        int n = 0;
        long firstLine = 1;
        while (lines.next()) {
            if (n == 0) firstLine = lines.lineNumber();
            buffer.write(lines.bytes(), 0, lines.length());
            buffer.write('\n');
            if (++n == batchSize) {
                sendBatch(client, buffer, expectation, firstLine, out);
                n = 0;
            }
        }
        if (n > 0) sendBatch(client, buffer, expectation, firstLine, out);
    }

    private void sendBatch(EsctlClient client, ByteArrayOutputStream buffer, Expectation expectation, long firstLine, OutputStream out) throws Exception {
        byte[] result = client.post(target(expectation, firstLine), HttpRequest.BodyPublishers.ofByteArray(buffer.toByteArray())).readAllBytes();
        buffer.reset();
        print(out, result);
        chain(AppendResultJson.lastVersions(result), chained.keySet(), expectation);
    }

    private String target(Expectation expectation, long firstLine) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("type", type);
        q.put("line", firstLine == 1 ? null : firstLine);
        if (stream != null) {
            Expectation e = chained.containsKey(stream) ? chained.get(stream) : expectation;
            q.put("expect", e == null ? null : e.wire());
            return EsctlClient.streamPath(stream) + EsctlClient.query(q);
        }
        q.put("expect", expectation == null ? null : expectation.wire());
        chained.forEach((s, e) -> q.put("expect." + s, e.wire()));
        return "/events" + EsctlClient.query(q);
    }

    private void print(OutputStream out, byte[] resultLine) throws Exception {
        out.write(resultLine);
        if (resultLine.length == 0 || resultLine[resultLine.length - 1] != '\n') out.write('\n');
        out.flush();
        committed += countOf(resultLine);
    }

    private static long countOf(byte[] json) {
        String s = new String(json, java.nio.charset.StandardCharsets.UTF_8);
        int i = s.indexOf("\"count\":");
        if (i < 0) return 0;
        int j = i + 8;
        while (j < s.length() && Character.isDigit(s.charAt(j))) j++;
        return Long.parseLong(s.substring(i + 8, j));
    }
}
