package dev.esctl.index;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The 128-byte header every index file starts with (little-endian):
 * <pre>
 *   0  u64  magic (one per kind of index file)
 *   8  u32  format version (1)
 *  12  u32  header length (128)
 *  16  u64  first seq covered
 *  24  u64  last seq covered (the file is valid for the log up to here)
 *  32  u64  entry count
 *  40  u64  extra (kind-specific: a segment's data end for offset files)
 *  48  u64  body length in bytes
 *  56  u32  CRC-32C of the body
 *  60  u32  reserved
 *  64  u8[32] chain hash of event lastSeq: ties the file to one history of the log
 *  96  reserved
 * 124  u32  CRC-32C of bytes [0, 124)
 * </pre>
 */
public record IndexFileHeader(long magic, long firstSeq, long lastSeq, long count, long extra,
                              long bodyLength, int bodyCrc, byte[] chainHash) {
    public static final int BYTES = 128;
    static final int FORMAT_VERSION = 1;
    private static final int CRC_AT = 124;

    public ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, magic).putInt(8, FORMAT_VERSION).putInt(12, BYTES)
                .putLong(16, firstSeq).putLong(24, lastSeq).putLong(32, count).putLong(40, extra)
                .putLong(48, bodyLength).putInt(56, bodyCrc).put(64, chainHash);
        b.putInt(CRC_AT, crc(b));
        return b;
    }

    /** Decodes a header, or returns null when it is not a valid header of the expected kind. */
    public static IndexFileHeader decode(ByteBuffer src, long expectedMagic) {
        if (src.limit() < BYTES) return null;
        ByteBuffer b = src.slice(0, BYTES).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getLong(0) != expectedMagic || b.getInt(8) != FORMAT_VERSION || b.getInt(12) != BYTES || b.getInt(CRC_AT) != crc(b)) return null;
        byte[] hash = new byte[32];
        b.get(64, hash);
        return new IndexFileHeader(b.getLong(0), b.getLong(16), b.getLong(24), b.getLong(32), b.getLong(40), b.getLong(48), b.getInt(56), hash);
    }

    private static int crc(ByteBuffer b) {
        CRC32C crc = new CRC32C();
        crc.update(b.slice(0, CRC_AT));
        return (int) crc.getValue();
    }
}
