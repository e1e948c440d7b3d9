package dev.esctl.server;

import com.sun.net.httpserver.HttpExchange;
import dev.esctl.engine.EventStore;
import dev.esctl.storage.StoreException;
import dev.esctl.wire.JsonObject;
import java.io.IOException;

/**
 * {@code GET /health}: 200 while the writer accepts appends, 503 with the reason once it has
 * failed; an index that could not be written is reported as degraded. Needs no token.
 */
final class HealthHandler {
    private final EventStore store;

    HealthHandler(EventStore store) {
        this.store = store;
    }

    void handle(HttpExchange ex) throws IOException {
        StoreException failure = store.writerFailure();
        var head = store.head();
        JsonObject body = new JsonObject().put("status", failure == null ? "ok" : "failing").put("headSeq", head.seq())
                .put("headHash", java.util.HexFormat.of().formatHex(head.chainHash())).put("fsync", store.config().fsync().toString())
                .put("writeQueueDepth", store.writeQueueDepth());
        if (failure != null) body.put("error", "writer_failed").put("message", failure.getMessage());
        // A failed index write does not stop appends (indexes are derived), but it is not silent.
        String index = store.index().maintenanceFailure();
        if (index != null) body.put("index", "degraded").put("indexFailure", index);
        Exchanges.json(ex, failure == null ? 200 : 503, body.toString());
    }
}
