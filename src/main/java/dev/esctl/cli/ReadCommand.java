package dev.esctl.cli;

import dev.esctl.engine.EventReader;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.ReadQuery;
import dev.esctl.storage.EventRecord;
import dev.esctl.wire.EventWriter;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import dev.esctl.client.EsctlClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "read",
        description = {
                "Print events as ndjson: one stream, a stream subtree (--recursive), or all events in global order.",
                "",
                "Each line is {\"seq\",\"stream\",\"version\",\"type\",\"id\",\"time\",\"data\",\"meta\"}. "
                        + "For one stream --from is a version; for all events and for --recursive it is a seq."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  esctl read orders/42",
                "  esctl read orders --recursive --type OrderPlaced",
                "  esctl read orders/42 --backward --limit 1     # the latest event",
                "  esctl read --from 1000 --limit 10 --data ./esctl-data   # offline, no daemon"})
final class ReadCommand implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Parameters(index = "0", arity = "0..1", paramLabel = "STREAM", description = "Stream to read; all events when absent.")
    String stream;

    @Option(names = "--from", paramLabel = "N", defaultValue = "0",
            description = "Start at this version (one stream) or seq (all, --recursive); the default is the first (or, with --backward, the last).")
    long from;

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N events.")
    Long limit;

    @Option(names = "--backward", description = "Newest first.")
    boolean backward;

    @Option(names = {"-r", "--recursive"}, description = "Also read every stream below STREAM (orders covers orders/42), in global order.")
    boolean recursive;

    @Option(names = "--type", paramLabel = "TYPE", split = ",", description = "Only events of this type; repeat or separate with commas for several.")
    List<String> types;

    @Override
    public Integer call() throws IOException {
        ReadQuery query = new ReadQuery(stream, recursive, from, limit == null ? Long.MAX_VALUE : limit, backward,
                types == null ? Set.of() : new java.util.HashSet<>(types));
        if (!store.offline()) return remote(query);
        try (EventStore es = store.openForReading()) {
            if (stream != null) {
                boolean exists = recursive ? es.subtreeExists(stream) : es.stream(stream) != null;
                if (!exists) throw new NotFoundException((recursive ? "no stream at or below " : "stream ") + "\"" + stream + "\"" + (recursive ? "" : " does not exist"));
            }
            OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
            EventWriter writer = new EventWriter(out);
            try (EventReader reader = es.read(query)) {
                for (EventRecord e; (e = reader.next()) != null; ) writer.write(e);
                writer.flush();
            } catch (IOException e) {
                if (BrokenPipe.is(e)) return ExitCodes.OK;
                throw e;
            }
        }
        return ExitCodes.OK;
    }

    /** Streams the server's ndjson straight to stdout: the same bytes as an offline read. */
    private int remote(ReadQuery q) throws IOException {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("from", q.from() == 0 ? null : q.from());
        params.put("limit", q.limit() == Long.MAX_VALUE ? null : q.limit());
        params.put("backward", q.backward() ? "true" : null);
        params.put("recursive", q.recursive() ? "true" : null);
        params.put("type", q.types().isEmpty() ? null : String.join(",", q.types()));
        String path = (q.stream() == null ? "/events" : EsctlClient.streamPath(q.stream())) + EsctlClient.query(params);
        try (InputStream in = store.client().get(path)) {
            Copy.toStdout(in);
        } catch (IOException e) {
            if (BrokenPipe.is(e)) return ExitCodes.OK;
            throw e;
        }
        return ExitCodes.OK;
    }
}
