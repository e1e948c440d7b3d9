package dev.esctl.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one handler the HTTP server calls: authentication, the concurrency limit, dispatch by
 * method and path to the resource handlers, and the mapping of every failure to a JSON error.
 * Whatever a request does, the daemon survives it: a handler's exception becomes a response.
 */
final class Router implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final byte[] token;
    private final Semaphore permits;
    private final AppendHandler append;
    private final ReadHandler read;
    private final StreamsHandler streams;
    private final HealthHandler health;
    private final InfoHandler info;
    private final Map<String, HttpHandler> extra;
    private final long maxBodyBytes;
    private final HttpStats httpStats;
    private final ReadStats readStats;
    private final AppendStats appendStats;
    private final AccessLog accessLog;

    Router(ServerConfig config, AppendHandler append, ReadHandler read, StreamsHandler streams, HealthHandler health,
           InfoHandler info, Map<String, HttpHandler> extra, HttpStats httpStats, ReadStats readStats, AppendStats appendStats, AccessLog accessLog) {
        this.token = config.token() == null ? null : config.token().getBytes(StandardCharsets.UTF_8);
        this.permits = new Semaphore(config.maxConcurrentRequests());
        this.append = append;
        this.read = read;
        this.streams = streams;
        this.health = health;
        this.info = info;
        this.extra = extra;
        this.maxBodyBytes = config.maxBodyBytes();
        this.httpStats = httpStats;
        this.readStats = readStats;
        this.appendStats = appendStats;
        this.accessLog = accessLog;
    }

    @Override
    public void handle(HttpExchange ex) {
        long startNanos = System.nanoTime();
        boolean permitted = false;
        // Every response body goes through the counter, for the access log.
        CountingOutputStream body = new CountingOutputStream(ex.getResponseBody());
        ex.setStreams(null, body);
        String route = "other";
        try {
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod();
            route = HttpStats.template(path, extra.keySet());
            if (isAppend(method, route)) appendStats.request();
            if (!path.equals("/health")) authenticate(ex);
            HttpHandler long_lived = extra.get(path);
            if (long_lived != null) {
                long_lived.handle(ex);
                return;
            }
            permitted = permits.tryAcquire();
            if (!permitted) throw new HttpError(503, "busy", "the server is serving its limit of concurrent requests; retry later", Map.of(), Map.of("Retry-After", "1"));
            dispatch(ex, method, path);
        } catch (Throwable t) {
            HttpError e = ErrorMapping.toHttp(t);
            if (isAppend(ex.getRequestMethod(), route)) appendStats.refused(e.code());
            if (e.status() >= 500 && !(t instanceof HttpError)) log.error("event=request_failed method={} path={} error=\"{}\"", ex.getRequestMethod(), ex.getRequestURI(), t.toString(), t);
            try {
                drainRequest(ex);
                Exchanges.error(ex, e);
            } catch (IOException | RuntimeException ignored) {
                // The response had begun, or the client is gone: nothing more can be said.
            }
        } finally {
            if (permitted) permits.release();
            ex.close();
            httpStats.record(ex.getRequestMethod(), route, ex.getResponseCode());
            if (accessLog != null) {
                accessLog.record(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
                        ex.getResponseCode(), body.count(), System.nanoTime() - startNanos, remote(ex));
            }
        }
    }

    private void dispatch(HttpExchange ex, String method, String path) throws IOException {
        if (path.equals("/health")) {
            only(method, "GET");
            health.handle(ex);
        } else if (path.equals("/info")) {
            only(method, "GET");
            info.handle(ex);
        } else if (path.equals("/streams") || path.equals("/streams/")) {
            only(method, "GET");
            readStats.request(ReadStats.Kind.LIST);
            streams.handle(ex);
        } else if (path.startsWith("/streams/")) {
            String stream = Exchanges.pathAfter(ex, "/streams/");
            switch (method) {
                case "GET" -> read.handle(ex, stream);
                case "POST" -> append.handle(ex, stream);
                default -> throw notAllowed(method, "GET, POST");
            }
        } else if (path.equals("/events")) {
            switch (method) {
                case "GET" -> read.handle(ex, null);
                case "POST" -> append.handle(ex, null);
                default -> throw notAllowed(method, "GET, POST");
            }
        } else {
            throw new HttpError(404, "not_found", "no such resource: " + path
                    + " (see esctl-serve(1): /streams, /streams/{stream}, /events, /watch, /health, /info, /metrics, /snapshot)");
        }
    }

    /**
     * Reads and discards what is left of a refused request's body (up to the body limit), so the
     * client, still sending, gets to read the refusal instead of a reset connection.
     */
    private void drainRequest(HttpExchange ex) {
        byte[] sink = new byte[64 * 1024];
        long left = maxBodyBytes;
        try (var in = ex.getRequestBody()) {
            for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) left -= n;
        } catch (IOException | RuntimeException ignored) {
            // Gone or broken: the response is attempted all the same.
        }
    }

    private static String remote(HttpExchange ex) {
        var a = ex.getRemoteAddress();
        return a == null ? "-" : a.getAddress() == null ? a.getHostString() + ":" + a.getPort() : a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static boolean isAppend(String method, String route) {
        return method.equals("POST") && (route.equals(HttpStats.STREAM_ROUTE) || route.equals("/events"));
    }

    private static void only(String method, String allowed) {
        if (!method.equals(allowed)) throw notAllowed(method, allowed);
    }

    private static HttpError notAllowed(String method, String allowed) {
        return new HttpError(405, "method_not_allowed", "method " + method + " is not allowed here (allowed: " + allowed + ")", Map.of(), Map.of("Allow", allowed));
    }

    /** Constant-time comparison of the bearer token, so its length and content cannot be timed. */
    private void authenticate(HttpExchange ex) {
        if (token == null) return;
        String header = ex.getRequestHeaders().getFirst("Authorization");
        byte[] given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, token)) {
            throw new HttpError(401, "unauthorized", header == null ? "this server needs Authorization: Bearer <token>" : "the bearer token is not valid",
                    Map.of(), Map.of("WWW-Authenticate", "Bearer realm=\"esctl\""));
        }
    }
}
