package dev.esctl.storage;

import java.util.List;

/**
 * The commit position as published to readers: the last committed seq, its chain hash and
 * time, the segments that hold the log, and where committed bytes end in the last (active)
 * segment. Immutable; the writer publishes a new one after every group, and a reader that
 * holds one sees exactly that prefix of the log.
 */
public record LogHead(long seq, byte[] chainHash, long timeMicros, List<Segment> segments, long activeEnd) {

    public Segment lastSegment() {
        return segments.get(segments.size() - 1);
    }

    /** Where committed frames end in {@code segments().get(index)}. */
    public long dataEnd(int index) {
        return index == segments.size() - 1 ? activeEnd : segments.get(index).sealedDataEnd();
    }

    /** Index of the segment that holds {@code seq} (or would, were it committed). */
    public int segmentIndexOf(long seq) {
        int lo = 0, hi = segments.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (segments.get(mid).firstSeq() <= seq) lo = mid; else hi = mid - 1;
        }
        return lo;
    }
}
