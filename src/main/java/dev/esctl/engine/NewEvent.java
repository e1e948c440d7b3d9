package dev.esctl.engine;

import java.util.UUID;

/**
 * An event to be appended: stream, type, id, the JSON {@code data} bytes and optional JSON
 * {@code meta} bytes. Names are validated on construction and their UTF-8 form is kept, so
 * the writer does no validation or encoding of its own. The JSON bytes are trusted to
 * be well-formed: the wire layer has parsed them.
 */
public final class NewEvent {
    private final String stream;
    private final String type;
    private final UUID id;
    private final boolean freshId;
    private final byte[] data;
    private final byte[] meta;
    private final byte[] streamUtf8;
    private final byte[] typeUtf8;
    private final long streamHash;

    public NewEvent(String stream, String type, UUID id, byte[] data, byte[] meta) {
        this(stream, type, id, data, meta, false, null);
    }

    /**
     * An event the wire parser read (one object per input line, submitted once), following
     * {@code previous} (null for the first) of the same input. A stream or type equal to the
     * previous event's is not validated and encoded again (an ndjson body names the same ones
     * line after line), and its objects are shared. Without an {@code id} the store makes one up
     * now, and it is fresh: nothing earlier can carry it (74 random bits), so the writer does not
     * look it up for retries. A caller that may submit the same object again (retrying an append
     * in-process) uses the constructor, whose generated id is looked up.
     */
    public static NewEvent parsed(NewEvent previous, String stream, String type, UUID id, byte[] data, byte[] meta) {
        return new NewEvent(stream, type, id, data, meta, id == null, previous);
    }

    private NewEvent(String stream, String type, UUID id, byte[] data, byte[] meta, boolean freshId, NewEvent previous) {
        if (previous != null && previous.stream.equals(stream)) {
            this.stream = previous.stream;
            this.streamUtf8 = previous.streamUtf8;
            this.streamHash = previous.streamHash;
        } else {
            this.streamUtf8 = Names.checkStream(stream);
            this.streamHash = dev.esctl.index.StreamHash.of(streamUtf8);
            this.stream = stream;
        }
        if (previous != null && previous.type.equals(type)) {
            this.type = previous.type;
            this.typeUtf8 = previous.typeUtf8;
        } else {
            this.typeUtf8 = Names.checkType(type);
            this.type = type;
        }
        if (data == null || data.length == 0) throw new BadInputException("missing_data", "event has no data");
        this.id = id == null ? Uuids.newV7() : id;
        this.freshId = freshId;
        this.data = data;
        this.meta = meta == null || meta.length == 0 ? null : meta;
    }

    public String stream() { return stream; }
    public String type() { return type; }
    public UUID id() { return id; }
    /** True for a {@link #parsed} event without an id: the id is new to the store and to every batch. It is still indexed: a client may send it back, having read the event. */
    boolean freshId() { return freshId; }
    public byte[] data() { return data; }
    /** Null when the event has no meta. */
    public byte[] meta() { return meta; }
    byte[] streamUtf8() { return streamUtf8; }
    byte[] typeUtf8() { return typeUtf8; }
    long streamHash() { return streamHash; }

    /** Bytes the event's frame takes on disk. */
    public int frameBytes() {
        return dev.esctl.storage.FrameLayout.frameLength(streamUtf8.length, typeUtf8.length, meta == null ? 0 : meta.length, data.length);
    }

    /** Bytes counted against the event size limit: everything the client sent for it. */
    public int payloadBytes() {
        return streamUtf8.length + typeUtf8.length + data.length + (meta == null ? 0 : meta.length);
    }
}
