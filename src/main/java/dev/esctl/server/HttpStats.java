package dev.esctl.server;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * HTTP requests answered, counted by method, route and status. The route is a template
 * ({@code /streams/:stream}), never the raw path, and methods outside the API's few are
 * counted as {@code other}: the number of series stays bounded whatever clients send.
 * Thread-safe; counting is a map lookup and a striped add.
 */
public final class HttpStats {
    /** One series: {@code method}, {@code route}, {@code status} ("none" when no response was sent). */
    public record Key(String method, String route, String status) {}

    /**
     * The route of every {@code /streams/NAME} path. Written with a colon rather than braces:
     * label values may hold braces, but many line-oriented readers of the text format (and
     * grep patterns) take the first {@code &#125;} as the end of the labels.
     */
    static final String STREAM_ROUTE = "/streams/:stream";

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS");

    private final Map<Key, LongAdder> requests = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    void record(String method, String route, int status) {
        Key key = new Key(METHODS.contains(method) ? method : "other", route, status < 0 ? "none" : Integer.toString(status));
        requests.computeIfAbsent(key, k -> new LongAdder()).increment();
        total.increment();
    }

    /** Every series seen so far and its count. */
    public Map<Key, Long> snapshot() {
        Map<Key, Long> out = new java.util.HashMap<>();
        requests.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long total() {
        return total.sum();
    }

    /**
     * The route template of a path: the fixed paths as they are, any stream's path as
     * {@link #STREAM_ROUTE}, anything unknown as {@code other}.
     */
    static String template(String path, Set<String> extraRoutes) {
        if (extraRoutes.contains(path)) return path;
        return switch (path) {
            case "/health", "/info", "/events", "/streams" -> path;
            case "/streams/" -> "/streams";
            default -> path.startsWith("/streams/") ? STREAM_ROUTE : "other";
        };
    }
}
