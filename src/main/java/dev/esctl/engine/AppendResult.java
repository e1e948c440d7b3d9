package dev.esctl.engine;

import java.util.List;

/**
 * A committed batch: its seqs {@code firstSeq..lastSeq}, commit time, and the versions it gave
 * each stream (in order of first appearance in the batch). {@code replay} is true when this
 * batch had been committed before (same ids, same content) and the original result is returned
 * instead of appending it twice.
 */
public record AppendResult(long firstSeq, long lastSeq, long timeMicros, List<StreamRange> streams, boolean replay) {
    public AppendResult(long firstSeq, long lastSeq, long timeMicros, List<StreamRange> streams) {
        this(firstSeq, lastSeq, timeMicros, streams, false);
    }

    public long count() {
        return lastSeq - firstSeq + 1;
    }

    public AppendResult asReplay() {
        return new AppendResult(firstSeq, lastSeq, timeMicros, streams, true);
    }
}
