package dev.esctl.engine;

import java.util.UUID;

/**
 * An event to be appended: stream, type, id, the JSON {@code data} bytes and optional JSON
 * {@code meta} bytes. Names are validated on construction and their UTF-8 form is kept, so
 * the writer thread does no validation or encoding of its own. The JSON bytes are trusted to
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
        this(stream, type, id, data, meta, false);
    }

    /**
     * An event whose id the store makes up now, for a caller that submits this object once (the
     * wire parser, for one request): nothing earlier can carry such an id (74 random bits), so
     * the writer does not look it up for retries. A caller that may submit the same object again
     * (retrying an append in-process) uses the constructor, whose generated id is looked up.
     */
    public static NewEvent withFreshId(String stream, String type, byte[] data, byte[] meta) {
        return new NewEvent(stream, type, null, data, meta, true);
    }

    private NewEvent(String stream, String type, UUID id, byte[] data, byte[] meta, boolean freshId) {
        this.streamUtf8 = Names.checkStream(stream);
        this.streamHash = dev.esctl.index.StreamHash.of(streamUtf8);
        this.typeUtf8 = Names.checkType(type);
        if (data == null || data.length == 0) throw new BadInputException("missing_data", "event has no data");
        this.stream = stream;
        this.type = type;
        this.id = id == null ? Uuids.newV7() : id;
        this.freshId = freshId;
        this.data = data;
        this.meta = meta == null || meta.length == 0 ? null : meta;
    }

    public String stream() { return stream; }
    public String type() { return type; }
    public UUID id() { return id; }
    /** True for {@link #withFreshId}: the id is new to the store and to every batch. It is still indexed: a client may send it back, having read the event. */
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
