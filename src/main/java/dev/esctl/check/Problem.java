package dev.esctl.check;

/**
 * One finding of a check: what is wrong, where (a file relative to the data directory, a byte
 * offset in it, the seq concerned), how bad it is, and what can fix it. Immutable.
 *
 * @param offset byte offset in {@code file}, or -1 when the problem is not at one place
 * @param seq    the seq concerned (for a bad frame: the seq the frame should have held), or -1
 */
public record Problem(Severity severity, Scope scope, Kind kind, String file, long offset, long seq, String message) {

    /** Damage makes fsck exit 7; a notice is worth knowing but harms nothing. */
    public enum Severity { DAMAGE, NOTICE }

    /** What a repair can do about it. */
    public enum Scope {
        /** In the log, before its end: only a snapshot (or a copy taken earlier) can bring it back. */
        LOG,
        /** The end of the log: {@code fsck --repair} cuts it back to the last good batch, keeping the bytes in quarantine/. */
        TAIL,
        /** Derived index data: {@code fsck --rebuild-index} (or --repair) rebuilds it from the segments. */
        INDEX
    }

    /** Machine-readable kinds, as printed by {@code fsck --json}. */
    public enum Kind {
        BAD_HEADER("bad_header"),
        BAD_FRAME("bad_frame"),
        BAD_FOOTER("bad_footer"),
        BAD_SIZE("bad_size"),
        NAME_MISMATCH("name_mismatch"),
        UNEXPECTED_FILE("unexpected_file"),
        MISSING_EVENTS("missing_events"),
        OVERLAP("overlap"),
        SEQ_MISMATCH("seq_mismatch"),
        CHAIN_BROKEN("chain_broken"),
        VERSION_GAP("version_gap"),
        TIME_BACKWARDS("time_backwards"),
        NOT_SEALED("not_sealed"),
        TORN_TAIL("torn_tail"),
        CHECKPOINT("checkpoint"),
        INTERRUPTED_SEGMENT("interrupted_segment"),
        LIVE_TAIL("live_tail"),
        INDEX_CORRUPT("index_corrupt"),
        INDEX_MISMATCH("index_mismatch"),
        INDEX_PAST_LOG("index_past_log"),
        INDEX_UNCHECKED("index_unchecked"),
        INDEX_STRAY("index_stray"),
        QUARANTINE("quarantine");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public boolean isDamage() {
        return severity == Severity.DAMAGE;
    }

    /** {@code damage: segments/…seg offset 4242 seq 17: checksum mismatch} */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(severity == Severity.DAMAGE ? "damage: " : "notice: ").append(file);
        if (offset >= 0) b.append(" offset ").append(offset);
        if (seq >= 0) b.append(" seq ").append(seq);
        return b.append(": ").append(message).toString();
    }
}
