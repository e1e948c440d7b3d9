package dev.esctl.storage;

import java.util.List;

/**
 * What {@link Recovery} found: the segments in order, the last committed event (seq, chain
 * hash, time), where committed bytes end in the last segment, whether that segment is already
 * sealed (the writer must then start a new one), and the actions recovery took, as sentences.
 */
public record RecoveredLog(
        List<Segment> segments,
        long headSeq,
        byte[] headHash,
        long headTimeMicros,
        long activeEnd,
        boolean lastSegmentSealed,
        int nextGroupTag,
        long cutBytes,
        List<String> actions) {

    public LogHead head() {
        return new LogHead(headSeq, headHash, headTimeMicros, segments, activeEnd);
    }
}
