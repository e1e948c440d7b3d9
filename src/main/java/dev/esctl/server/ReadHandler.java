package dev.esctl.server;

import com.sun.net.httpserver.HttpExchange;
import dev.esctl.engine.EventReader;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.ReadQuery;
import dev.esctl.storage.EventRecord;
import dev.esctl.wire.EventWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /streams/{stream}} and {@code GET /events}: events as ndjson, streamed as they are
 * read (chunked), so any read holds constant memory. Parameters: {@code from} (a version for
 * one stream; a seq for /events and recursive reads), {@code limit}, {@code backward},
 * {@code recursive} (a stream and everything below it), {@code type} (repeatable, or
 * comma-separated), and for /events {@code stream} (a prefix subtree, as with recursive).
 */
final class ReadHandler {
    private static final Logger log = LoggerFactory.getLogger(ReadHandler.class);
    private static final Set<String> STREAM_PARAMS = Set.of("from", "limit", "backward", "recursive", "type");
    private static final Set<String> ALL_PARAMS = Set.of("from", "limit", "backward", "recursive", "type", "stream");

    private final EventStore store;
    private final ReadStats stats;

    ReadHandler(EventStore store, ReadStats stats) {
        this.store = store;
        this.stats = stats;
    }

    /** @param stream the stream of {@code GET /streams/{stream}}, or null for {@code GET /events} */
    void handle(HttpExchange ex, String stream) throws IOException {
        QueryParams q = new QueryParams(ex.getRequestURI().getRawQuery());
        q.allowOnly(stream != null ? STREAM_PARAMS : ALL_PARAMS);
        boolean recursive = q.flag("recursive");
        if (stream == null && q.get("stream") != null) {
            stream = q.get("stream");
            recursive = true;
        }
        ReadQuery query = new ReadQuery(stream, recursive, q.getLong("from", 0, 0), q.getLong("limit", Long.MAX_VALUE, 0),
                q.flag("backward"), new HashSet<>(q.all("type")));
        ReadStats.Kind kind = stream == null ? ReadStats.Kind.ALL : recursive ? ReadStats.Kind.SUBTREE : ReadStats.Kind.STREAM;
        stats.request(kind);
        if (stream != null) {
            boolean exists = recursive ? store.subtreeExists(stream) : store.stream(stream) != null;
            if (!exists) {
                throw new HttpError(404, "stream_not_found", (recursive ? "no stream at or below \"" : "stream \"") + stream + "\"" + (recursive ? "" : " does not exist"));
            }
        }
        stream(ex, query, kind);
    }

    void stream(HttpExchange ex, ReadQuery query, ReadStats.Kind kind) throws IOException {
        long served = 0;
        CountingOutputStream counted = null;
        try (EventReader reader = store.read(query)) {
            EventRecord first = reader.next();
            ex.getResponseHeaders().set("Content-Type", Exchanges.NDJSON);
            ex.sendResponseHeaders(200, 0);
            counted = new CountingOutputStream(ex.getResponseBody());
            try (OutputStream out = new BufferedOutputStream(counted, 1 << 16)) {
                EventWriter writer = new EventWriter(out);
                for (EventRecord e = first; e != null; e = reader.next()) {
                    writer.write(e);
                    served++;
                }
            } catch (RuntimeException e) {
                // The status is sent: all that can be done is to cut the response short, so the client sees it incomplete.
                log.error("event=read_failed path={} error=\"{}\"", ex.getRequestURI(), e.toString());
                ex.close();
            }
        } finally {
            // Events handed to the response, and the bytes of it that went out (64 KiB at a time).
            stats.served(kind, served, counted == null ? 0 : counted.count());
        }
    }
}
