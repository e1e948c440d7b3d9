package dev.esctl.engine;

import dev.esctl.storage.EventRecord;
import dev.esctl.storage.LogCursor;
import dev.esctl.storage.LogHead;
import java.util.concurrent.TimeUnit;

/**
 * A live subscription: a cursor over the log that first returns the history from its start,
 * then every event as it is committed — each matching event exactly once, in seq order, with
 * no gap and no duplicate at the switch, because history and live are the same walk: read up to
 * the head seen, remember that seq, wait for a newer head, read on from there. No event is ever
 * queued for a watcher: a slow one reads from the log at its own pace, and the writer never waits
 * on it. Idle for a second, it holds no read buffer. Not thread-safe: one consumer.
 *
 * <p>Watches of everything walk the log; watches of a stream or subtree read through the
 * indexes, so a sparse watch does not read the events it would discard.
 */
public final class Watch implements AutoCloseable {
    private final EventStore store;
    private final WatchQuery query;
    private final WatchSignal signal = new WatchSignal();
    private final long historyEnd;
    private final long startedNanos = System.nanoTime();
    private volatile long examined; // read by other threads for lag (info, metrics)
    private long lastDelivered;
    private EventReader chunk;
    private long chunkEnd;
    private LogCursor tail;
    private volatile boolean closed;
    private volatile long headSeen;
    /** Set when the tail's buffers were given back after {@link #IDLE_NANOS} without a commit. */
    private boolean idle;
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    Watch(EventStore store, WatchQuery query) {
        this.store = store;
        this.query = query;
        LogHead head = store.head();
        this.historyEnd = head.seq();
        this.headSeen = head.seq();
        if (query.fromEnd()) {
            examined = head.seq();
        } else if (query.fromVersion() > 0) {
            examined = seqBeforeVersion(query.stream(), query.fromVersion(), head);
        } else {
            examined = Math.max(0, Math.min(query.fromSeq() - 1, head.seq()));
            if (query.fromSeq() - 1 > head.seq()) examined = query.fromSeq() - 1; // a seq in the future: wait for it
        }
        store.watchHub().register(query, signal);
    }

    /** Every event before version {@code v} of the stream is examined already: start right before it. */
    private long seqBeforeVersion(String stream, long v, LogHead head) {
        try (EventReader r = store.read(ReadQuery.stream(stream).from(v).limit(1), head)) {
            EventRecord e = r.next();
            return e != null ? e.seq() - 1 : head.seq();
        }
    }

    /**
     * The next matching event; null when none came within the timeout, when the history has just
     * been delivered (see {@link #caughtUp()}), or when the watch was closed.
     */
    public EventRecord next(long timeout, TimeUnit unit) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        boolean wasCaughtUp = caughtUp();
        while (!closed) {
            EventRecord e = fromChunk();
            if (e != null) {
                lastDelivered = e.seq();
                return e;
            }
            if (!wasCaughtUp && caughtUp()) return null;
            signal.clear();
            LogHead head = store.head();
            headSeen = head.seq();
            if (head.seq() > examined) {
                openChunk(head);
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) return null;
            if (tail != null && !idle) {
                // A busy watcher keeps its read buffer from one commit to the next (dropping it
                // before every wait cost a fresh buffer and a re-read per wake, most of a fan-out's
                // CPU); one that stays idle for a while gives it back.
                if (signal.await(Math.min(left, IDLE_NANOS), TimeUnit.NANOSECONDS)) continue;
                if (deadline - System.nanoTime() <= 0) return null;
                tail.releaseBuffers();
                idle = true;
                continue;
            }
            if (signal.await(left, TimeUnit.NANOSECONDS)) idle = false;
        }
        return null;
    }

    private void openChunk(LogHead head) {
        chunkEnd = head.seq();
        if (query.stream() == null) {
            if (tail == null) tail = LogCursor.from(head, examined + 1, store.index().floor(head, examined + 1));
            else tail.advanceTo(head);
            chunk = null;
        } else {
            ReadQuery q = new ReadQuery(query.stream(), query.recursive(), examined + 1, Long.MAX_VALUE, false, query.types()).bySeqPositions();
            chunk = store.read(q, head);
        }
    }

    /** The next matching event of the chunk being read, or null when it is done (then all of it is examined). */
    private EventRecord fromChunk() {
        if (tail != null && query.stream() == null) {
            while (tail.nextSeq() <= chunkEnd && tail.next()) {
                EventRecord e = tail.record();
                examined = e.seq();
                if (query.matches(e.stream(), e.type())) return e;
            }
            examined = Math.max(examined, chunkEnd);
            return null;
        }
        if (chunk == null) return null;
        for (EventRecord e; (e = chunk.next()) != null; ) {
            if (e.seq() <= examined) continue;
            examined = e.seq();
            if (query.fromVersion() > 0 && e.version() < query.fromVersion()) continue;
            return e;
        }
        chunk.close();
        chunk = null;
        examined = Math.max(examined, chunkEnd);
        return null;
    }

    /** True once the history (everything committed when the watch started) has been delivered. */
    public boolean caughtUp() {
        return examined >= historyEnd;
    }

    /** Every event up to this seq has been examined (delivered or filtered out): a watch resumed after it misses nothing. */
    public long examined() {
        return examined;
    }

    public long lastDelivered() {
        return lastDelivered;
    }

    /** Events committed that this watch has not examined yet. */
    public long lag() {
        return Math.max(0, store.head().seq() - examined);
    }

    public long headSeen() {
        return headSeen;
    }

    public WatchQuery query() {
        return query;
    }

    public long ageNanos() {
        return System.nanoTime() - startedNanos;
    }

    /** Ends the watch: a blocked {@link #next} returns null. Safe from any thread. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        signal.wake();
        store.watchHub().unregister(query, signal);
    }

    /** Releases read buffers; call from the consumer's thread after the last {@link #next}. */
    public void release() {
        if (chunk != null) chunk.close();
        if (tail != null) tail.close();
    }
}
