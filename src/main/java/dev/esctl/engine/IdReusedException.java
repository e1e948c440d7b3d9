package dev.esctl.engine;

import java.util.UUID;

/**
 * A batch reuses the id of an event already committed (or of another batch in flight), but is
 * not an exact retry of that event's batch: the ids are mixed with new ones, or the content
 * differs. Nothing was appended. A true retry is answered as a replay instead.
 */
public final class IdReusedException extends RuntimeException {
    private final UUID id;
    private final long seq;

    public IdReusedException(UUID id, long seq, String why) {
        super("event id " + id + " was already used" + (seq > 0 ? " by seq " + seq : " by a batch in flight") + ", " + why
                + "; an id may only be reused to retry exactly the same batch");
        this.id = id;
        this.seq = seq;
    }

    public UUID id() { return id; }
    /** The committed event that has the id (0 when it is a batch still in flight). */
    public long seq() { return seq; }
}
