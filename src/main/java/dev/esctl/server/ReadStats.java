package dev.esctl.server;

import dev.esctl.wire.JsonObject;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the read side served: requests by kind, events and response bytes. A handler adds its
 * totals once per response (a watch, once per flush), so the read loop itself pays nothing.
 * Thread-safe.
 */
public final class ReadStats {
    /** What a read asked for. */
    public enum Kind {
        /** {@code GET /streams/{stream}}: one stream. */
        STREAM,
        /** {@code GET /streams/{stream}?recursive=true} or {@code GET /events?stream=P}: a subtree. */
        SUBTREE,
        /** {@code GET /events}: the global log. */
        ALL,
        /** {@code GET /streams}: the list of streams. */
        LIST,
        /** {@code GET /watch}: history, then live events. */
        WATCH;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final LongAdder[] requests = adders();
    private final LongAdder[] events = adders();
    private final LongAdder[] bytes = adders();

    private static LongAdder[] adders() {
        LongAdder[] a = new LongAdder[Kind.values().length];
        for (int i = 0; i < a.length; i++) a[i] = new LongAdder();
        return a;
    }

    void request(Kind kind) {
        requests[kind.ordinal()].increment();
    }

    void served(Kind kind, long eventCount, long byteCount) {
        events[kind.ordinal()].add(eventCount);
        bytes[kind.ordinal()].add(byteCount);
    }

    public long requests(Kind kind) { return requests[kind.ordinal()].sum(); }
    public long events(Kind kind) { return events[kind.ordinal()].sum(); }
    public long bytes(Kind kind) { return bytes[kind.ordinal()].sum(); }

    public long requests() { return sum(requests); }
    public long events() { return sum(events); }
    public long bytes() { return sum(bytes); }

    private static long sum(LongAdder[] a) {
        long s = 0;
        for (LongAdder x : a) s += x.sum();
        return s;
    }

    /** Adds {"reads":{"requests":…,"events":…,"bytes":…}} to {@code /info}. */
    void describe(JsonObject info) {
        info.put("reads", new JsonObject().put("requests", requests()).put("events", events()).put("bytes", bytes()));
    }
}
