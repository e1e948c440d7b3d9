package dev.esctl.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.Watch;
import dev.esctl.engine.WatchQuery;
import dev.esctl.storage.EventRecord;
import dev.esctl.wire.EventWriter;
import dev.esctl.wire.JsonObject;
import dev.esctl.wire.Timestamps;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /watch}: a long-lived ndjson response — the history from the start position, then
 * live events, each matching event once, in seq order. Parameters: {@code from} (a seq, or
 * {@code end}), {@code version} (start at this version of {@code stream}), {@code stream},
 * {@code recursive}, {@code type}, {@code heartbeat} (ms between heartbeats when idle, default
 * 5000), {@code checkpoint} (ms between checkpoints, default 10000), {@code behind} (lag in
 * events that counts as falling behind, default 10000).
 *
 * <p>Besides events, control lines, each an object with one key no event has:
 * <pre>
 *   {"caughtUp":{"seq":S,"head":H}}        the history is delivered; live events follow
 *   {"heartbeat":{"head":H,"time":"…"}}    nothing new for a while; the connection is alive
 *   {"checkpoint":{"seq":S}}                every event up to S was examined: resume with from=S+1
 *   {"fellBehind":{"lag":N,"head":H}}      more than the threshold behind the head
 * </pre>
 * A client that goes away is noticed at the next write (at the latest, the next heartbeat).
 */
final class WatchHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(WatchHandler.class);
    private static final Set<String> PARAMS = Set.of("from", "version", "stream", "recursive", "type", "heartbeat", "checkpoint", "behind");

    private final EventStore store;
    private final WatchRegistry registry;
    private final ReadStats stats;

    WatchHandler(EventStore store, WatchRegistry registry, ReadStats stats) {
        this.store = store;
        this.registry = registry;
        this.stats = stats;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("GET")) {
            throw new HttpError(405, "method_not_allowed", "method " + ex.getRequestMethod() + " is not allowed here (allowed: GET)",
                    java.util.Map.of(), java.util.Map.of("Allow", "GET"));
        }
        QueryParams q = new QueryParams(ex.getRequestURI().getRawQuery());
        q.allowOnly(PARAMS);
        String from = q.get("from");
        boolean fromEnd = "end".equals(from);
        long fromSeq = fromEnd || from == null ? 1 : parsePositive("from", from);
        WatchQuery query = new WatchQuery(q.get("stream"), q.flag("recursive"), new HashSet<>(q.all("type")),
                fromSeq, q.getLong("version", 0, 0), fromEnd);
        long heartbeatMs = q.getLong("heartbeat", 5000, 100);
        long checkpointMs = q.getLong("checkpoint", 10_000, 100);
        long behind = q.getLong("behind", 10_000, 1);

        registry.admit();
        Watch watch = store.watch(query);
        stats.request(ReadStats.Kind.WATCH);
        WatchRegistry.Entry entry = registry.add(watch, ex, ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery());
        try {
            ex.getResponseHeaders().set("Content-Type", Exchanges.NDJSON);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(200, 0);
            CountingOutputStream counted = new CountingOutputStream(ex.getResponseBody());
            // Small: an idle watcher keeps this buffer (64 KiB made 1,000 idle watchers cost
            // 106 MiB of heap); the response below it buffers a 16 KiB chunk anyway.
            try (OutputStream out = new BufferedOutputStream(counted, 4096)) {
                serve(watch, new EventWriter(out), out, counted, heartbeatMs, checkpointMs, behind);
            }
        } catch (IOException e) {
            log.debug("event=watch_client_gone id={} remote={} error=\"{}\"", entry.id(), entry.remote(), e.toString());
        } finally {
            watch.close();
            watch.release();
            registry.remove(entry);
        }
    }

    private void serve(Watch watch, EventWriter writer, OutputStream out, CountingOutputStream counted,
                       long heartbeatMs, long checkpointMs, long behind) throws IOException {
        boolean sentCaughtUp = false, fellBehind = false;
        // Counted as they go out, events one by one and bytes per flush: a watch can last for days.
        long reportedBytes = 0;
        long lastWrite = System.nanoTime(), lastCheckpoint = System.nanoTime(), checkpointed = watch.examined();
        boolean unflushed = false;
        while (!registry.closing()) {
            long now = System.nanoTime();
            long waitMs = Math.max(1, Math.min(heartbeatMs - ms(now - lastWrite), checkpointMs - ms(now - lastCheckpoint)));
            EventRecord e = unflushed ? watch.next(0, TimeUnit.MILLISECONDS) : watch.next(waitMs, TimeUnit.MILLISECONDS);
            now = System.nanoTime();
            if (e != null) {
                writer.write(e);
                stats.served(ReadStats.Kind.WATCH, 1, 0);
                unflushed = true;
                lastWrite = now;
            } else if (unflushed) {
                // Nothing more right now: what was written goes out, as one write.
                out.flush();
                unflushed = false;
                stats.served(ReadStats.Kind.WATCH, 0, counted.count() - reportedBytes);
                reportedBytes = counted.count();
            }
            if (!sentCaughtUp && watch.caughtUp()) {
                control(out, new JsonObject().put("caughtUp", new JsonObject().put("seq", watch.examined()).put("head", watch.headSeen())));
                sentCaughtUp = true;
                lastWrite = now;
            }
            long lag = watch.lag();
            if (!fellBehind && lag > behind) {
                control(out, new JsonObject().put("fellBehind", new JsonObject().put("lag", lag).put("head", watch.headSeen())));
                fellBehind = true;
                lastWrite = now;
            } else if (fellBehind && lag <= behind / 2) {
                fellBehind = false;
            }
            if (ms(now - lastCheckpoint) >= checkpointMs) {
                lastCheckpoint = now;
                if (watch.examined() > checkpointed && watch.examined() > watch.lastDelivered()) {
                    control(out, new JsonObject().put("checkpoint", new JsonObject().put("seq", watch.examined())));
                    lastWrite = now;
                }
                checkpointed = watch.examined();
            }
            if (e == null && !unflushed && ms(now - lastWrite) >= heartbeatMs) {
                control(out, new JsonObject().put("heartbeat", new JsonObject().put("head", store.head().seq()).put("time", Timestamps.format(System.currentTimeMillis() * 1000))));
                lastWrite = now;
            }
        }
    }

    private static void control(OutputStream out, JsonObject line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static long parsePositive(String name, String v) {
        try {
            long n = Long.parseLong(v);
            if (n < 1) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new HttpError(400, "bad_parameter", "parameter '" + name + "' is '" + v + "', not a seq (1, 2, ...) or 'end'");
        }
    }
}
