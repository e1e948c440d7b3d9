package dev.esctl.engine;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Events appended atomically: all of them or none, with consecutive seqs, possibly across
 * several streams, each stream with at most one expectation (checked against the stream as it
 * was before the batch; a stream may be expected without being written, to make the batch
 * depend on it). Validated on construction: non-empty, no event over the size limit, no id twice.
 */
public final class AppendBatch {
    private final List<NewEvent> events;
    private final Map<String, Expectation> expectations;
    private final long frameBytes;

    public AppendBatch(List<NewEvent> events, Map<String, Expectation> expectations, int maxEventBytes) {
        if (events.isEmpty()) throw new BadInputException("empty_batch", "the batch has no events");
        Set<UUID> ids = null; // fresh ids are unique by construction; any other may repeat
        long bytes = 0;
        for (int i = 0; i < events.size(); i++) {
            NewEvent e = events.get(i);
            if (e.payloadBytes() > maxEventBytes) {
                throw new BadInputException("too_large", "event " + (i + 1) + " is " + e.payloadBytes() + " bytes, more than the limit of " + maxEventBytes);
            }
            if (!e.freshId()) {
                if (ids == null) ids = new HashSet<>();
                if (!ids.add(e.id())) throw new BadInputException("duplicate_id", "event " + (i + 1) + " repeats id " + e.id() + " within the batch");
            }
            bytes += e.frameBytes();
        }
        // An expectation may name a stream without events in the batch: it is checked all the same.
        for (String s : expectations.keySet()) Names.checkStream(s);
        this.events = List.copyOf(events);
        this.expectations = Collections.unmodifiableMap(new LinkedHashMap<>(expectations));
        this.frameBytes = bytes;
    }

    /** One stream, one expectation. */
    public static AppendBatch toStream(List<NewEvent> events, Expectation expectation, int maxEventBytes) {
        Map<String, Expectation> exp = events.isEmpty() || expectation instanceof Expectation.Any
                ? Map.of() : Map.of(events.get(0).stream(), expectation);
        return new AppendBatch(events, exp, maxEventBytes);
    }

    public List<NewEvent> events() { return events; }
    public Map<String, Expectation> expectations() { return expectations; }
    public int size() { return events.size(); }
    /** Bytes the batch takes on disk. */
    public long frameBytes() { return frameBytes; }
}
