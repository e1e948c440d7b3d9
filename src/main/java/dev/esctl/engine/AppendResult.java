package dev.esctl.engine;

import java.util.List;

/**
 * A committed batch: its seqs {@code firstSeq..lastSeq}, commit time, and the versions it gave
 * each stream (in order of first appearance in the batch).
 */
public record AppendResult(long firstSeq, long lastSeq, long timeMicros, List<StreamRange> streams) {
    public long count() {
        return lastSeq - firstSeq + 1;
    }
}
