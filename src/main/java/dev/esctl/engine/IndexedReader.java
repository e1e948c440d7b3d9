package dev.esctl.engine;

import dev.esctl.index.PostingCursor;
import dev.esctl.index.StoreIndex;
import dev.esctl.storage.BackwardLogCursor;
import dev.esctl.storage.EventRecord;
import dev.esctl.storage.LogCursor;
import dev.esctl.storage.LogHead;
import dev.esctl.storage.StoreException;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Answers a {@link ReadQuery} through the indexes, as of one {@link LogHead}:
 * <ul>
 *   <li>all events: from the seq index's nearest position, walking the log (backward by the
 *   frames' trailing lengths);</li>
 *   <li>one stream: its postings, each event read by seq and its stream name checked (a hash
 *   shared with another stream then costs a skipped read, never a wrong event);</li>
 *   <li>a subtree: the postings of every stream in it merged by seq — or, when the subtree
 *   holds a large part of the log, a filtered walk of the log, which is then cheaper.</li>
 * </ul>
 * Type filters apply to every form. Holds one event at a time. Not thread-safe.
 */
final class IndexedReader implements EventReader {
    private final LogHead head;
    private final StoreIndex index;
    private final ReadQuery query;
    private long remaining;
    private LogCursor forward;
    private BackwardLogCursor backward;
    private PostingCursor postings;
    private PriorityQueue<Head> merge;
    private LogCursor lookup;
    private long lastSeq = -1;
    private boolean scanSubtree;

    /** One stream's next candidate in a subtree merge. */
    private record Head(long seq, PostingCursor cursor) {}

    IndexedReader(LogHead head, StoreIndex index, ReadQuery query) {
        this.head = head;
        this.index = index;
        this.query = query;
        this.remaining = query.limit();
        if (query.stream() == null) {
            openLogWalk();
        } else if (!query.recursive()) {
            long from = query.from() == 0 ? (query.backward() ? Long.MAX_VALUE : 1) : query.from();
            postings = index.postings(query.stream(), query.backward(), query.seqPositions(), from);
        } else {
            openSubtree();
        }
    }

    private void openLogWalk() {
        if (query.backward()) {
            long from = query.from() == 0 ? head.seq() : Math.min(query.from(), head.seq());
            backward = new BackwardLogCursor(head, from, index.floor(head, from));
        } else {
            long from = Math.max(1, query.from());
            forward = LogCursor.from(head, from, index.floor(head, from));
        }
    }

    private void openSubtree() {
        long fromSeq = query.from() == 0 ? (query.backward() ? Long.MAX_VALUE : 1) : query.from();
        long[] total = new long[1];
        List<PostingCursor> cursors = index.subtree(query.stream(), query.backward(), fromSeq, total);
        long span = query.backward() ? Math.min(fromSeq, head.seq()) : head.seq() - fromSeq + 1;
        // Reading one event by seq costs about as much as walking past a few dozen frames.
        if (total[0] * 8 > span || cursors.size() > 100_000) {
            scanSubtree = true;
            openLogWalk();
            return;
        }
        merge = new PriorityQueue<>(Math.max(1, cursors.size()), (a, b) -> query.backward() ? Long.compare(b.seq, a.seq) : Long.compare(a.seq, b.seq));
        for (PostingCursor c : cursors) advance(c);
    }

    private void advance(PostingCursor c) {
        for (long seq; (seq = c.next()) >= 0; ) {
            if (seq <= head.seq()) {
                merge.add(new Head(seq, c));
                return;
            }
            if (!query.backward()) return; // ascending: every later seq is beyond the head too
        }
    }

    @Override
    public EventRecord next() {
        while (remaining > 0) {
            EventRecord e = candidate();
            if (e == null) return null;
            if (!query.types().isEmpty() && !query.types().contains(e.type())) continue;
            remaining--;
            return e;
        }
        return null;
    }

    /** The next event of the stream, subtree or log, before the type filter. */
    private EventRecord candidate() {
        if (forward != null || backward != null) {
            while (true) {
                EventRecord e = forward != null ? (forward.next() ? forward.record() : null) : (backward.next() ? backward.record() : null);
                if (e == null || !scanSubtree || Names.inSubtree(e.stream(), query.stream())) return e;
            }
        }
        if (postings != null) {
            for (long seq; (seq = postings.next()) >= 0; ) {
                if (seq > head.seq()) {
                    if (query.backward()) continue;
                    return null;
                }
                EventRecord e = read(seq);
                if (!e.stream().equals(query.stream())) continue; // another stream with the same hash
                return e;
            }
            return null;
        }
        if (merge != null) {
            while (!merge.isEmpty()) {
                Head h = merge.poll();
                advance(h.cursor());
                if (h.seq() == lastSeq) continue; // two streams sharing a hash yield each other's seqs
                lastSeq = h.seq();
                EventRecord e = read(h.seq());
                if (Names.inSubtree(e.stream(), query.stream())) return e;
            }
        }
        return null;
    }

    private EventRecord read(long seq) {
        if (lookup == null) lookup = LogCursor.forLookups(head, seq, index.floor(head, seq));
        else lookup.seek(seq, index.floor(head, seq));
        if (!lookup.next() || lookup.seq() != seq) {
            throw new StoreException(StoreException.Code.CORRUPT, "the index names seq " + seq + ", which the log does not have; run 'esctl fsck --rebuild-index'");
        }
        return lookup.record();
    }

    @Override
    public void close() {
        if (forward != null) forward.close();
        if (backward != null) backward.close();
        if (lookup != null) lookup.close();
    }
}
