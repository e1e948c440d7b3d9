package dev.esctl.engine;

import dev.esctl.storage.EventRecord;
import dev.esctl.storage.LogCursor;
import dev.esctl.storage.LogHead;
import java.util.ArrayDeque;

/**
 * Answers any {@link ReadQuery} by walking the log from the first event that can match and
 * filtering. Needs no index, so it is the reference every indexed read must agree with.
 * Backward reads keep the last {@code limit} matches (all of them without a limit).
 */
final class ScanReader implements EventReader {
    private final ReadQuery query;
    private final LogCursor cursor;
    private ArrayDeque<EventRecord> backward;
    private long remaining;

    ScanReader(LogHead head, ReadQuery query) {
        this.query = query;
        this.remaining = query.limit();
        long startSeq = query.bySeq() && !query.backward() ? Math.max(1, query.from()) : 1;
        this.cursor = LogCursor.from(head, startSeq);
    }

    @Override
    public EventRecord next() {
        if (remaining <= 0) return null;
        if (query.backward()) return nextBackward();
        while (cursor.next()) {
            EventRecord e = cursor.record();
            if (matches(e)) {
                remaining--;
                return e;
            }
        }
        return null;
    }

    private EventRecord nextBackward() {
        if (backward == null) {
            backward = new ArrayDeque<>();
            while (cursor.next()) {
                EventRecord e = cursor.record();
                if (!matches(e)) continue;
                backward.addFirst(e);
                if (backward.size() > query.limit()) backward.removeLast();
            }
        }
        EventRecord e = backward.pollFirst();
        if (e != null) remaining--;
        return e;
    }

    private boolean matches(EventRecord e) {
        if (!query.types().isEmpty() && !query.types().contains(e.type())) return false;
        long position = query.bySeq() ? e.seq() : e.version();
        if (query.from() > 0 && (query.backward() ? position > query.from() : position < query.from())) return false;
        if (query.stream() == null) return true;
        return query.recursive() ? Names.inSubtree(e.stream(), query.stream()) : e.stream().equals(query.stream());
    }

    @Override
    public void close() {
        cursor.close();
    }
}
