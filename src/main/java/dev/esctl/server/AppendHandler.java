package dev.esctl.server;

import com.sun.net.httpserver.HttpExchange;
import dev.esctl.engine.AppendResult;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.Expectation;
import dev.esctl.wire.BatchAssembler;
import dev.esctl.wire.EventParser;
import dev.esctl.wire.EventWriter;
import dev.esctl.wire.LineReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /streams/{stream}} and {@code POST /events}: the body's ndjson events, appended
 * as one atomic batch. Parameters: {@code expect} (any|none|exists|N, for the stream, or for
 * every stream of a /events batch), {@code expect.STREAM} (one stream's expectation in a
 * /events batch), {@code type} (each line is a raw JSON payload of this type), {@code line}
 * (number of the first line, for messages about a part of a larger input). The body is parsed
 * as it arrives; any bad line refuses the whole batch, naming the line.
 */
final class AppendHandler {
    private static final Set<String> PARAMS = Set.of("expect", "type", "line");
    private static final Set<String> CONTENT_TYPES = Set.of("", "application/x-ndjson", "application/json", "application/jsonl",
            "application/x-jsonlines", "text/plain", "application/x-www-form-urlencoded", "application/octet-stream");

    private final EventStore store;
    private final ServerConfig config;

    AppendHandler(EventStore store, ServerConfig config) {
        this.store = store;
        this.config = config;
    }

    /** @param stream the stream of {@code POST /streams/{stream}}, or null for {@code POST /events} */
    void handle(HttpExchange ex, String stream) throws IOException {
        QueryParams q = new QueryParams(ex.getRequestURI().getRawQuery());
        q.allowOnly(PARAMS, stream == null ? new String[] {"expect."} : new String[0]);
        checkContentType(ex);
        Expectation all = q.get("expect") == null ? null : Expectation.parse(q.get("expect"));
        Map<String, Expectation> perStream = new LinkedHashMap<>();
        if (stream != null && all != null) {
            perStream.put(stream, all);
            all = null;
        }
        for (String name : q.names()) {
            if (name.startsWith("expect.")) perStream.put(name.substring("expect.".length()), Expectation.parse(q.get(name)));
        }
        long firstLine = q.getLong("line", 1, 1);
        int maxEvent = store.config().maxEventBytes();
        BatchAssembler batch = new BatchAssembler(all, perStream);
        // Not closed here: on a refusal the router drains what is left first, so the client reads the answer.
        InputStream body = new LimitedInputStream(ex.getRequestBody(), config.maxBodyBytes());
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        int readBytes = 64 * 1024;
        if (length != null) {
            try {
                readBytes = (int) Math.min(readBytes, Long.parseLong(length.trim()) + 1);
            } catch (NumberFormatException ignored) {
                // The server has validated the header; keep the default.
            }
        }
        LineReader lines = new LineReader(body, maxEvent + 64 * 1024, readBytes);
        try (EventParser parser = new EventParser(stream, q.get("type"))) {
            while (lines.next()) {
                long lineNo = firstLine + lines.lineNumber() - 1;
                batch.add(parser.parse(lines.bytes(), 0, lines.length(), lineNo), lineNo);
            }
        }
        AppendResult result = store.append(batch.build(maxEvent));
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        new EventWriter(out).write(result);
        Exchanges.json(ex, 200, out.toString(java.nio.charset.StandardCharsets.UTF_8).trim());
    }

    private static void checkContentType(HttpExchange ex) {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        int semi = type == null ? -1 : type.indexOf(';');
        String base = type == null ? "" : (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        if (!CONTENT_TYPES.contains(base)) {
            throw new HttpError(415, "unsupported_media_type", "Content-Type '" + type + "' is not ndjson; send application/x-ndjson");
        }
        String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
            throw new HttpError(415, "unsupported_media_type", "Content-Encoding '" + encoding + "' is not supported; send the body uncompressed");
        }
    }
}
