package dev.esctl.cli;

import dev.esctl.engine.EventStore;
import dev.esctl.index.StreamInfo;
import dev.esctl.wire.EventWriter;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "streams",
        description = {"List streams whose names start with PREFIX, in name order, one JSON line each: {\"stream\",\"lastVersion\",\"lastSeq\"}.",
                "A stream's last version is also its number of events."},
        footerHeading = "%nExamples:%n",
        footer = {"  esctl streams", "  esctl streams orders/ | wc -l", "  esctl streams --data ./esctl-data    # offline"})
final class StreamsCommand implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX", description = "Only streams whose names start with this (plain prefix, not a level).")
    String prefix = "";

    @Override
    public Integer call() throws IOException {
        if (!store.offline()) {
            try (java.io.InputStream in = store.client().get("/streams" + dev.esctl.client.EsctlClient.query(java.util.Map.of("prefix", prefix)))) {
                Copy.toStdout(in);
            } catch (IOException e) {
                if (!BrokenPipe.is(e)) throw e;
            }
            return ExitCodes.OK;
        }
        try (EventStore es = store.openForReading()) {
            EventWriter out = new EventWriter(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
            try {
                for (StreamInfo s : es.streams(prefix)) out.write(s);
                out.flush();
            } catch (IOException e) {
                if (!BrokenPipe.is(e)) throw e;
            }
        }
        return ExitCodes.OK;
    }
}
