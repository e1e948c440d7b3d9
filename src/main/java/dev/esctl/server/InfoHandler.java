package dev.esctl.server;

import com.sun.net.httpserver.HttpExchange;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.StoreFacts;
import dev.esctl.wire.FactsJson;
import dev.esctl.wire.JsonObject;
import dev.esctl.wire.Timestamps;
import java.io.IOException;
import java.util.function.Consumer;

/** {@code GET /info}: the store's facts, plus the server's (version, listen address, uptime). */
final class InfoHandler {
    private final EventStore store;
    private final String version;
    private final String listen;
    private final long startedMicros;
    private final Consumer<JsonObject> extras;

    InfoHandler(EventStore store, String version, String listen, Consumer<JsonObject> extras) {
        this.store = store;
        this.version = version;
        this.listen = listen;
        this.startedMicros = System.currentTimeMillis() * 1000;
        this.extras = extras;
    }

    void handle(HttpExchange ex) throws IOException {
        JsonObject info = FactsJson.of(StoreFacts.of(store))
                .put("version", version)
                .put("listen", listen)
                .put("startedAt", Timestamps.format(startedMicros))
                .put("uptimeSeconds", (System.currentTimeMillis() * 1000 - startedMicros) / 1_000_000);
        extras.accept(info);
        Exchanges.json(ex, 200, info.toString());
    }
}
