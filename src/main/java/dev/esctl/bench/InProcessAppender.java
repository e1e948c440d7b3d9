package dev.esctl.bench;

import dev.esctl.engine.AppendBatch;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.Expectation;
import dev.esctl.engine.NewEvent;
import dev.esctl.engine.WrongExpectedVersionException;
import dev.esctl.index.StreamInfo;
import java.util.ArrayList;
import java.util.List;

/** One in-process benchmark client: appends straight to an open store, the engine's cost without HTTP. Thread-safe: the clients share one. */
final class InProcessAppender {
    private final EventStore store;
    private final byte[] data;

    InProcessAppender(EventStore store, byte[] data) {
        this.store = store;
        this.data = data;
    }

    /**
     * Appends {@code events} events of the payload to {@code stream}, expecting its last version to
     * be {@code expected} (-1: any). Returns the stream's new last version, or -1 after a version
     * conflict (nothing appended).
     */
    long append(String stream, int events, long expected) {
        List<NewEvent> batch = new ArrayList<>(events);
        NewEvent previous = null;
        for (int i = 0; i < events; i++) batch.add(previous = NewEvent.parsed(previous, stream, "BenchEvent", null, data, null)); // as the HTTP parser makes them
        Expectation e = expected < 0 ? Expectation.ANY : new Expectation.Exact(expected);
        try {
            return store.append(AppendBatch.toStream(batch, e, store.config().maxEventBytes())).streams().get(0).lastVersion();
        } catch (WrongExpectedVersionException conflict) {
            return -1;
        }
    }

    /** The stream's last version now (0 when absent), for a client that lost a race. */
    long lastVersion(String stream) {
        StreamInfo s = store.stream(stream);
        return s == null ? 0 : s.lastVersion();
    }
}
