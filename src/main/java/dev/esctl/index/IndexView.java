package dev.esctl.index;

import java.util.List;

/**
 * What a reader consults, as of one moment: the posting runs on disk in seq order, the frozen
 * in-memory tables waiting to be written as runs, and the active table. Immutable except for
 * the active table, which the writer extends under {@link StoreIndex}'s lock.
 */
record IndexView(List<PostingRun> runs, List<ActivePostings> frozen, ActivePostings active) {

    /** Seq up to which runs on disk cover the log (0 when there are none). */
    long runsLastSeq() {
        return runs.isEmpty() ? 0 : runs.get(runs.size() - 1).lastSeq();
    }
}
