package dev.esctl.testing.campaign;

/** One way a recovered store disagrees with what was submitted and acknowledged. */
public record Violation(Kind kind, String message) {
    public enum Kind {
        /** An acknowledged batch is missing (a durability failure, when acknowledgements are meant to be durable). */
        LOST_ACKNOWLEDGED,
        /** An acknowledged batch is present but not at the seqs or versions its acknowledgement named. */
        ACKNOWLEDGEMENT_MISMATCH,
        /** An event's stream, type, data or meta differ from what was submitted with its id. */
        WRONG_CONTENT,
        /** An event whose id was never submitted. */
        UNKNOWN_EVENT,
        /** An id twice. */
        DUPLICATE_EVENT,
        /** Part of a batch, or its events not together and in order. */
        PARTIAL_BATCH,
        /** A batch that was refused (never written) is present. */
        REFUSED_BATCH_PRESENT,
        /** A present batch's expectation did not hold against the log before it. */
        EXPECTATION_BROKEN,
        /** Global seqs are not 1..head without gaps. */
        SEQ_GAP,
        /** A stream's versions are not 1, 2, 3, ... in seq order. */
        VERSION_GAP,
        /** The stream table (last version, last seq) disagrees with the events, or the head with the log. */
        STATE_TABLE_MISMATCH,
        /** A stream read disagrees with the global read. */
        READ_MISMATCH,
        /** Opening the crashed store failed (for instance, recovery called an unacknowledged torn tail corruption). */
        OPEN_FAILED,
        /** Opening the same recovered directory twice gave different states. */
        REOPEN_CHANGED_STATE,
        /** After recovery the store did not append correctly. */
        APPEND_AFTER_RECOVERY_FAILED,
        /** An append did not complete within the timeout. */
        HUNG,
        /** The store broke its fail-stop contract (acknowledged after a failure, or answered with the wrong code). */
        FAIL_STOP_BROKEN
    }

    @Override
    public String toString() {
        return kind + ": " + message;
    }
}
