package dev.esctl.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.StoreFacts;
import dev.esctl.wire.FactsJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "stat",
        description = {"Show what the store is: head seq and hash, events, streams, segments, bytes, index state, fsync policy; "
                + "from a server also uptime and what the writer has done. Readable on a terminal, --json for scripts."},
        footerHeading = "%nExamples:%n",
        footer = {"  esctl stat", "  esctl stat --data ./esctl-data --json | jq .headSeq"})
final class StatCommand implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        String facts;
        if (store.offline()) {
            try (EventStore es = store.openForReading()) {
                facts = FactsJson.of(StoreFacts.of(es)).toString();
            }
        } else {
            try (InputStream in = store.client().get("/info")) {
                facts = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
        }
        if (json) System.out.println(facts); else printReadable(facts);
        return ExitCodes.OK;
    }

    /** One "key: value" line per field; nested objects indent their fields. */
    private static void printReadable(String json) throws IOException {
        StringBuilder out = new StringBuilder();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            p.nextToken();
            walk(p, "", out);
        }
        System.out.print(out);
    }

    private static void walk(JsonParser p, String indent, StringBuilder out) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                out.append(indent).append(name).append(":\n");
                walk(p, indent + "  ", out);
            } else if (t == JsonToken.START_ARRAY) {
                p.skipChildren();
            } else if (t != JsonToken.VALUE_NULL) {
                out.append(indent).append(String.format("%-16s %s%n", name + ":", p.getText()));
            }
        }
    }
}
