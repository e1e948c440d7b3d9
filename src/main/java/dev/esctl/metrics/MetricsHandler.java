package dev.esctl.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.esctl.server.HttpError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * {@code GET /metrics}: every metric in the Prometheus text format (see esctl-metrics(7)).
 * Behind the bearer token like every path but {@code /health}; configure the scraper's
 * {@code authorization} accordingly.
 */
public final class MetricsHandler implements HttpHandler {
    private final StoreMetrics metrics;

    public MetricsHandler(StoreMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new HttpError(405, "method_not_allowed", "method " + method + " is not allowed here (allowed: GET)", Map.of(), Map.of("Allow", "GET"));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(32 * 1024);
        metrics.scrape(body);
        ex.getResponseHeaders().set("Content-Type", metrics.contentType());
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        if (method.equals("HEAD")) {
            ex.sendResponseHeaders(200, -1);
            return;
        }
        ex.sendResponseHeaders(200, body.size());
        try (OutputStream out = ex.getResponseBody()) {
            body.writeTo(out);
        }
    }
}
