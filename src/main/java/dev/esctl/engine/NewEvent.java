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
    private final boolean idGenerated;
    private final byte[] data;
    private final byte[] meta;
    private final byte[] streamUtf8;
    private final byte[] typeUtf8;
    private final long streamHash;

    public NewEvent(String stream, String type, UUID id, byte[] data, byte[] meta) {
        this.streamUtf8 = Names.checkStream(stream);
        this.streamHash = dev.esctl.index.StreamHash.of(streamUtf8);
        this.typeUtf8 = Names.checkType(type);
        if (data == null || data.length == 0) throw new BadInputException("missing_data", "event has no data");
        this.stream = stream;
        this.type = type;
        this.id = id == null ? Uuids.newV7() : id;
        this.idGenerated = id == null;
        this.data = data;
        this.meta = meta == null || meta.length == 0 ? null : meta;
    }

    public String stream() { return stream; }
    public String type() { return type; }
    public UUID id() { return id; }
    /**
     * True when the store made the id up (the client sent none): no earlier event can carry it
     * (74 random bits), so it needs no lookup for retries. It is still indexed: a client may
     * later send it back, having read the event.
     */
    boolean idGenerated() { return idGenerated; }
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
