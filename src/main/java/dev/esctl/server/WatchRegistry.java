package dev.esctl.server;

import com.sun.net.httpserver.HttpExchange;
import dev.esctl.engine.Watch;
import dev.esctl.wire.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The watches the daemon is serving: for {@code /info} (each watcher's lag, so a stalled
 * consumer is never silent) and for shutdown (every watch is ended cleanly). Thread-safe.
 */
public final class WatchRegistry {
    /** One served watch. */
    record Entry(long id, Watch watch, HttpExchange exchange, String remote, String query) {}

    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong served = new AtomicLong();
    private volatile boolean closing;
    private volatile int limit = Integer.MAX_VALUE;

    /** At most this many watches at once; more are refused with 503 (each holds a connection and a thread). */
    public void limit(int maxWatches) {
        this.limit = maxWatches;
    }

    /** Refuses a new watch when the limit is reached. */
    void admit() {
        if (entries.size() >= limit) {
            throw new HttpError(503, "too_many_watches", "the server is serving its limit of " + limit + " watches; retry later",
                    Map.of(), Map.of("Retry-After", "5"));
        }
    }

    Entry add(Watch watch, HttpExchange exchange, String query) {
        Entry e = new Entry(ids.incrementAndGet(), watch, exchange, String.valueOf(exchange.getRemoteAddress()), query);
        entries.put(e.id(), e);
        served.incrementAndGet();
        if (closing) watch.close();
        return e;
    }

    void remove(Entry e) {
        entries.remove(e.id());
    }

    boolean closing() {
        return closing;
    }

    public int active() {
        return entries.size();
    }

    public long served() {
        return served.get();
    }

    /** Largest number of events any watcher has yet to examine. */
    public long maxLag() {
        long max = 0;
        for (Entry e : entries.values()) max = Math.max(max, e.watch().lag());
        return max;
    }

    public long sumLag() {
        long sum = 0;
        for (Entry e : entries.values()) sum += e.watch().lag();
        return sum;
    }

    /** Adds {"watchers":{"active":…,"maxLag":…,"sumLag":…,"list":[…]}} (at most 100 listed, the most lagging first). */
    void describe(JsonObject info) {
        StringBuilder list = new StringBuilder("[");
        entries.values().stream()
                .sorted((a, b) -> Long.compare(b.watch().lag(), a.watch().lag()))
                .limit(100)
                .forEach(e -> {
                    if (list.length() > 1) list.append(',');
                    list.append(new JsonObject().put("id", e.id()).put("remote", e.remote()).put("query", e.query())
                            .put("examinedSeq", e.watch().examined()).put("lag", e.watch().lag())
                            .put("ageSeconds", e.watch().ageNanos() / 1_000_000_000L));
                });
        info.put("watchers", new JsonObject().put("active", active()).put("served", served()).put("maxLag", maxLag()).put("sumLag", sumLag())
                .putRaw("list", list.append(']').toString()));
    }

    /** Ends every watch; responses end cleanly as their handlers return. */
    public void closeAll() {
        closing = true;
        for (Entry e : entries.values()) e.watch().close();
    }

    /** Closes the connections of watches that did not end (a client that stopped reading blocks its handler in a write). */
    public void abortRemaining() {
        for (Entry e : entries.values()) e.exchange().close();
    }
}
