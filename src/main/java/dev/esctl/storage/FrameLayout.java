package dev.esctl.storage;

/**
 * The on-disk record frame: one per event, little-endian, written back to back in a segment.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                       magic 'ESCF'                            |  0
 *  +---------------------------------------------------------------+
 *  |                       frameLength                             |  4
 *  +---------------+---------------+-------------------------------+
 *  | formatVersion |     flags     |           groupTag            |  8
 *  +---------------+---------------+-------------------------------+
 *  |         streamLength          |          typeLength           | 12
 *  +-------------------------------+-------------------------------+
 *  |                         seq (u64)                             | 16
 *  +---------------------------------------------------------------+
 *  |                       version (u64)                           | 24
 *  +---------------------------------------------------------------+
 *  |                      timeMicros (u64)                         | 32
 *  +---------------------------------------------------------------+
 *  |                   id (UUID, 2 x u64: msb, lsb)                | 40
 *  +---------------------------------------------------------------+
 *  |                        metaLength                             | 56
 *  +---------------------------------------------------------------+
 *  |                        dataLength                             | 60
 *  +---------------------------------------------------------------+
 *  |        stream bytes, type bytes, meta bytes, data bytes       | 64
 *  +---------------------------------------------------------------+
 *  |     chainHash: SHA-256(previous chainHash || bytes [0, here)) | end-40
 *  +---------------------------------------------------------------+
 *  |               crc32c over bytes [0, here)                     | end-8
 *  +---------------------------------------------------------------+
 *  |                 frameLength (repeated)                        | end-4
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>{@code frameLength} counts every byte of the frame, magic to trailer. The magic means
 * zero-filled or misdirected bytes never validate; the CRC covers the length fields, so a
 * damaged length cannot make a wrong span validate; the trailing copy of the length lets the
 * log be walked backwards. The hash chain covers everything the CRC covers except the CRC
 * itself, so the head hash is a digest of the whole history.
 *
 * <p>Flags: bit 0 {@link #FLAG_COMMIT} marks the last event of its batch (a batch is visible
 * only once its commit frame is on disk); bit 1 {@link #FLAG_GROUP_END} marks the last frame
 * of one group write; bit 2 {@link #FLAG_FORCED_GROUP} says the group was forced before the
 * next group was written (fsync policy {@code always}). {@code groupTag} is the low 16 bits of
 * the write-group number. Together they let recovery tell a torn last write from damage to
 * bytes that were already acknowledged (see {@link Recovery}).
 */
public final class FrameLayout {
    private FrameLayout() {}

    public static final int MAGIC = 0x46435345; // "ESCF" in little-endian byte order
    public static final byte FORMAT_VERSION = 1;

    public static final int FLAG_COMMIT = 1;
    public static final int FLAG_GROUP_END = 1 << 1;
    public static final int FLAG_FORCED_GROUP = 1 << 2;
    static final int KNOWN_FLAGS = FLAG_COMMIT | FLAG_GROUP_END | FLAG_FORCED_GROUP;

    public static final int MAGIC_OFFSET = 0;
    public static final int LENGTH_OFFSET = 4;
    public static final int FORMAT_VERSION_OFFSET = 8;
    public static final int FLAGS_OFFSET = 9;
    public static final int GROUP_TAG_OFFSET = 10;
    public static final int STREAM_LENGTH_OFFSET = 12;
    public static final int TYPE_LENGTH_OFFSET = 14;
    public static final int SEQ_OFFSET = 16;
    public static final int VERSION_OFFSET = 24;
    public static final int TIME_OFFSET = 32;
    public static final int ID_MSB_OFFSET = 40;
    public static final int ID_LSB_OFFSET = 48;
    public static final int META_LENGTH_OFFSET = 56;
    public static final int DATA_LENGTH_OFFSET = 60;
    public static final int HEADER_BYTES = 64;

    public static final int HASH_BYTES = 32;
    public static final int CRC_BYTES = 4;
    public static final int TRAILER_LENGTH_BYTES = 4;
    /** Bytes after the variable part: chain hash, CRC, trailing length. */
    public static final int TRAILER_BYTES = HASH_BYTES + CRC_BYTES + TRAILER_LENGTH_BYTES;
    public static final int MIN_FRAME_BYTES = HEADER_BYTES + 2 + TRAILER_BYTES;

    public static final int MAX_NAME_BYTES = 256;
    /** A hard format limit, far above any configured event size: a length field beyond it is damage. */
    public static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;

    static {
        if (DATA_LENGTH_OFFSET + 4 != HEADER_BYTES) throw new AssertionError("header fields do not add up");
        if (SEQ_OFFSET % 8 != 0) throw new AssertionError("seq must be 8-byte aligned in the frame");
    }

    public static int frameLength(int streamLength, int typeLength, int metaLength, int dataLength) {
        return HEADER_BYTES + streamLength + typeLength + metaLength + dataLength + TRAILER_BYTES;
    }

    /** Offset of the chain hash inside a frame of the given length. */
    public static int hashOffset(int frameLength) {
        return frameLength - TRAILER_BYTES;
    }

    public static int crcOffset(int frameLength) {
        return frameLength - CRC_BYTES - TRAILER_LENGTH_BYTES;
    }

    public static int trailerLengthOffset(int frameLength) {
        return frameLength - TRAILER_LENGTH_BYTES;
    }
}
