package dev.esctl.storage;

import static dev.esctl.storage.SegmentLayout.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/** The header of a segment file, as drawn in {@link SegmentLayout}. */
public record SegmentHeader(long firstSeq, byte[] prevChainHash) {

    public ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(H_MAGIC, HEADER_MAGIC)
                .putInt(H_FORMAT_VERSION, FORMAT_VERSION)
                .putInt(H_LENGTH, HEADER_BYTES)
                .putLong(H_FIRST_SEQ, firstSeq)
                .put(H_PREV_HASH, prevChainHash)
                .putInt(H_CRC, crc(b, H_CRC));
        return b;
    }

    /** Decodes a header, or returns null when the bytes are not a valid one (magic, version, CRC). */
    public static SegmentHeader decode(ByteBuffer b) {
        if (b.remaining() < HEADER_BYTES) return null;
        ByteBuffer h = b.slice(b.position(), HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        if (h.getLong(H_MAGIC) != HEADER_MAGIC || h.getInt(H_FORMAT_VERSION) != FORMAT_VERSION
                || h.getInt(H_LENGTH) != HEADER_BYTES || h.getInt(H_CRC) != crc(h, H_CRC)) return null;
        byte[] prev = new byte[FrameLayout.HASH_BYTES];
        h.get(H_PREV_HASH, prev);
        return new SegmentHeader(h.getLong(H_FIRST_SEQ), prev);
    }

    static int crc(ByteBuffer b, int length) {
        CRC32C crc = new CRC32C();
        crc.update(b.slice(0, length));
        return (int) crc.getValue();
    }
}
