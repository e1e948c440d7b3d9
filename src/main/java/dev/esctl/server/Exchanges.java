package dev.esctl.server;

import com.sun.net.httpserver.HttpExchange;
import dev.esctl.wire.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writing responses: JSON documents, errors, and the headers every response carries. */
final class Exchanges {
    private Exchanges() {}

    static final String NDJSON = "application/x-ndjson";
    static final String JSON = "application/json";

    static void json(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = (json + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", JSON);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    static void error(HttpExchange ex, HttpError e) throws IOException {
        JsonObject body = new JsonObject().put("error", e.code()).put("message", e.getMessage());
        for (Map.Entry<String, Object> d : e.details().entrySet()) {
            if (d.getValue() instanceof Number n) body.put(d.getKey(), n.longValue());
            else body.put(d.getKey(), String.valueOf(d.getValue()));
        }
        e.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        json(ex, e.status(), body.toString());
    }

    /** The path after {@code prefix}, percent-decoded as UTF-8 ({@code /streams/orders%2F42} is stream {@code orders/42}). */
    static String pathAfter(HttpExchange ex, String prefix) {
        URI uri = ex.getRequestURI();
        String raw = uri.getRawPath();
        String rest = raw.substring(prefix.length());
        try {
            return java.net.URLDecoder.decode(rest.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "invalid_stream", "the path has a malformed escape: " + rest);
        }
    }
}
