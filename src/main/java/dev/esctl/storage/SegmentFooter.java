package dev.esctl.storage;

import static dev.esctl.storage.SegmentLayout.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The footer that seals a segment file, as drawn in {@link SegmentLayout}. */
public record SegmentFooter(long firstSeq, long lastSeq, byte[] lastChainHash) {

    public long eventCount() {
        return lastSeq - firstSeq + 1;
    }

    public ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(FOOTER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(F_MAGIC, FOOTER_MAGIC)
                .putInt(F_LENGTH, FOOTER_BYTES)
                .putLong(F_FIRST_SEQ, firstSeq)
                .putLong(F_LAST_SEQ, lastSeq)
                .put(F_LAST_HASH, lastChainHash)
                .putInt(F_CRC, SegmentHeader.crc(b, F_CRC));
        return b;
    }

    /** Decodes a footer, or returns null when the bytes are not a valid one (magic, length, CRC). */
    public static SegmentFooter decode(ByteBuffer b) {
        if (b.remaining() < FOOTER_BYTES) return null;
        ByteBuffer f = b.slice(b.position(), FOOTER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        if (f.getInt(F_MAGIC) != FOOTER_MAGIC || f.getInt(F_LENGTH) != FOOTER_BYTES
                || f.getInt(F_CRC) != SegmentHeader.crc(f, F_CRC)) return null;
        byte[] hash = new byte[FrameLayout.HASH_BYTES];
        f.get(F_LAST_HASH, hash);
        return new SegmentFooter(f.getLong(F_FIRST_SEQ), f.getLong(F_LAST_SEQ), hash);
    }
}
