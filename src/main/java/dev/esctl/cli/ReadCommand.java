package dev.esctl.cli;

import dev.esctl.engine.EventReader;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.ReadQuery;
import dev.esctl.storage.EventRecord;
import dev.esctl.wire.EventWriter;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
                "  esctl read orders/42 --data ./esctl-data",
                "  esctl read orders --recursive --type OrderPlaced --data ./esctl-data",
                "  esctl read orders/42 --backward --limit 1 --data ./esctl-data     # the latest event",
                "  esctl read --from 1000 --limit 10 --data ./esctl-data"})
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
                types == null ? Set.of() : Set.copyOf(types));
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
}
