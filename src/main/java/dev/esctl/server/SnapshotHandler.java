package dev.esctl.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.esctl.engine.EventStore;
import dev.esctl.snapshot.SnapshotCut;
import dev.esctl.snapshot.SnapshotManifest;
import dev.esctl.snapshot.SnapshotWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /snapshot}: streams a consistent snapshot of the store (the format is drawn in
 * {@link SnapshotWriter}) cut at the head as of the request, while appends go on. Long-lived:
 * registered with {@link EsctlServer#route} so a slow download does not hold one of the
 * request permits. Headers tell the cut before the body: {@code X-Esctl-Cut-Seq},
 * {@code X-Esctl-Head-Hash}, {@code X-Esctl-Snapshot-Segment-Bytes}.
 *
 * <p>If reading a segment fails after the status was sent, the response is cut short: the
 * snapshot then lacks its manifest, and the client refuses it. Thread-safe (no state).
 */
public final class SnapshotHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(SnapshotHandler.class);

    private final EventStore store;

    public SnapshotHandler(EventStore store) {
        this.store = store;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("GET")) {
            throw new HttpError(405, "method_not_allowed", "method " + ex.getRequestMethod() + " is not allowed here (allowed: GET)", Map.of(), Map.of("Allow", "GET"));
        }
        new QueryParams(ex.getRequestURI().getRawQuery()).allowOnly(Set.of());
        long start = System.nanoTime();
        Instant now = Instant.now();
        SnapshotCut cut = SnapshotCut.of(store.head(), now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000);
        ex.getResponseHeaders().set("Content-Type", "application/x-tar");
        ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"esctl-snapshot-" + cut.head().seq() + ".tar\"");
        ex.getResponseHeaders().set("X-Esctl-Cut-Seq", Long.toString(cut.head().seq()));
        ex.getResponseHeaders().set("X-Esctl-Head-Hash", HexFormat.of().formatHex(cut.head().chainHash()));
        ex.getResponseHeaders().set("X-Esctl-Snapshot-Segment-Bytes", Long.toString(cut.totalBytes()));
        ex.sendResponseHeaders(200, 0);
        SnapshotManifest manifest;
        try (OutputStream out = new BufferedOutputStream(ex.getResponseBody(), 1 << 20)) {
            manifest = SnapshotWriter.write(cut, out, SnapshotWriter.Progress.NONE);
        } catch (IOException | RuntimeException e) {
            log.error("event=snapshot_failed cut_seq={} error=\"{}\" effect=\"the client gets a snapshot without its manifest and refuses it\"", cut.head().seq(), e.toString());
            throw e;
        }
        log.info("event=snapshot_served cut_seq={} segments={} bytes={} ms={}", manifest.cutSeq(), cut.parts().size(), cut.totalBytes(), (System.nanoTime() - start) / 1_000_000);
    }
}
