package dev.esctl.server;

import com.sun.net.httpserver.HttpExchange;
import dev.esctl.engine.EventStore;
import dev.esctl.index.StreamInfo;
import dev.esctl.wire.EventWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;

/** {@code GET /streams?prefix=P}: streams in name order, one {@code {"stream","lastVersion","lastSeq"}} line each. */
final class StreamsHandler {
    private final EventStore store;

    StreamsHandler(EventStore store) {
        this.store = store;
    }

    void handle(HttpExchange ex) throws IOException {
        QueryParams q = new QueryParams(ex.getRequestURI().getRawQuery());
        q.allowOnly(Set.of("prefix"));
        String prefix = q.get("prefix") == null ? "" : q.get("prefix");
        var streams = store.streams(prefix);
        ex.getResponseHeaders().set("Content-Type", Exchanges.NDJSON);
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = new BufferedOutputStream(ex.getResponseBody(), 1 << 16)) {
            EventWriter writer = new EventWriter(out);
            for (StreamInfo s : streams) writer.write(s);
        }
    }
}
