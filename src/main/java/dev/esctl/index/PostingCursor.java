package dev.esctl.index;

import java.util.concurrent.locks.Lock;

/**
 * The seqs of one stream's events, in order, drawn from every source of an {@link IndexView}:
 * runs on disk, then frozen tables, then the active table (reversed when backward). Starts at a
 * version or at a seq. Runs are keyed by hash, so when two streams share one this yields the
 * other stream's seqs too: the reader checks the name in each frame it reads and skips those.
 * Sources cover disjoint seq ranges, so no seq is returned twice. Not thread-safe.
 */
public final class PostingCursor {
    private final IndexView view;
    private final Lock activeLock;
    private final int slot;
    private final long hash;
    private final boolean collided;
    private final boolean backward;
    private final boolean bySeq;
    private final long from;
    private final int sourceCount;
    private int source = -1;
    private PostingRun run;
    private int at;
    private int end;
    private long[] chunk = new long[64];
    private int chunkAt;
    private int chunkLength;
    private ActivePostings.Seqs tableSeqs;
    private ActivePostings table;
    private int tableAt;

    PostingCursor(IndexView view, Lock activeLock, int slot, long hash, boolean collided, boolean backward, boolean bySeq, long from) {
        this.view = view;
        this.activeLock = activeLock;
        this.slot = slot;
        this.hash = hash;
        this.collided = collided;
        this.backward = backward;
        this.bySeq = bySeq;
        this.from = from;
        this.sourceCount = view.runs().size() + view.frozen().size() + 1;
    }

    /** The next candidate seq, or -1 when there are no more. */
    public long next() {
        while (true) {
            if (run != null) {
                long seq = nextFromRun();
                if (seq >= 0) return seq;
                run = null;
            } else if (table != null) {
                if (chunkAt < chunkLength) return chunk[chunkAt++];
                if (!refillFromTable()) table = null;
            } else {
                source++;
                if (source >= sourceCount) return -1;
                enter(backward ? sourceCount - 1 - source : source);
            }
        }
    }

    private void enter(int index) {
        int runs = view.runs().size(), frozen = view.frozen().size();
        if (index < runs) {
            run = view.runs().get(index);
            int lower = run.firstOf(hash), upper = run.endOf(hash);
            if (!backward) {
                at = collided ? lower : run.lowerBound(lower, upper, !bySeq, from);
                end = upper;
            } else {
                long bound = from == Long.MAX_VALUE ? Long.MAX_VALUE : from + 1;
                at = (collided ? upper : run.lowerBound(lower, upper, !bySeq, bound)) - 1;
                end = lower;
            }
        } else {
            table = index < runs + frozen ? view.frozen().get(index - runs) : view.active();
            tableSeqs = null;
            tableAt = -1;
            chunkAt = chunkLength = 0;
        }
    }

    private long nextFromRun() {
        while (backward ? at >= end : at < end) {
            long seq = run.seq(at);
            long position = bySeq ? seq : run.version(at);
            at += backward ? -1 : 1;
            // With a shared hash, entries of several streams interleave: filter by position
            // here, the reader filters by name.
            if (collided && (backward ? position > from : position < from)) continue;
            return seq;
        }
        return -1;
    }

    /** Copies the next few seqs of the stream out of an in-memory table, under the lock when it is the active one. */
    private boolean refillFromTable() {
        boolean active = table == view.active();
        if (active) activeLock.lock();
        try {
            if (tableSeqs == null) {
                tableSeqs = table.get(slot);
                if (tableSeqs == null) return false;
                tableAt = startIndex(tableSeqs);
            }
            ActivePostings.Seqs s = tableSeqs;
            int n = 0;
            if (!backward) {
                while (n < chunk.length && tableAt < s.count) chunk[n++] = s.seqs[tableAt++];
            } else {
                while (n < chunk.length && tableAt >= 0) chunk[n++] = s.seqs[tableAt--];
            }
            chunkAt = 0;
            chunkLength = n;
            return n > 0;
        } finally {
            if (active) activeLock.unlock();
        }
    }

    private int startIndex(ActivePostings.Seqs s) {
        if (!bySeq) {
            long k = backward ? (from == Long.MAX_VALUE ? s.count - 1 : from - s.firstVersion) : from - s.firstVersion;
            return (int) Math.max(-1, Math.min(s.count, backward ? Math.min(k, s.count - 1) : Math.max(k, 0)));
        }
        int lo = 0, hi = s.count; // first index with seq >= bound
        long bound = backward ? (from == Long.MAX_VALUE ? Long.MAX_VALUE : from + 1) : from;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (s.seqs[mid] < bound) lo = mid + 1; else hi = mid;
        }
        return backward ? lo - 1 : lo;
    }
}
