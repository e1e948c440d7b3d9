package dev.esctl.storage;

/**
 * The header at the start and the footer at the end of every segment file (little-endian).
 *
 * <pre>
 * header, 64 bytes at offset 0:
 *   0  u64  magic "ESCTLSEG"
 *   8  u32  formatVersion (1)
 *  12  u32  headerLength (64)
 *  16  u64  firstSeq          equals the number in the file name
 *  24  u8[32] prevChainHash   chain hash of event firstSeq-1 (zeros for the first segment)
 *  56  u32  reserved (0)
 *  60  u32  crc32c over bytes [0, 60)
 *
 * footer, 64 bytes right after the last frame, written when the segment is sealed:
 *   0  u32  magic 'ESFT'       never equal to the frame magic, so a scan stops here
 *   4  u32  footerLength (64)
 *   8  u64  firstSeq
 *  16  u64  lastSeq           firstSeq-1 when the segment holds no event
 *  24  u8[32] lastChainHash
 *  56  u32  reserved (0)
 *  60  u32  crc32c over bytes [0, 60)
 * </pre>
 *
 * A sealed segment's file size is exactly header + frames + footer. An active segment has no
 * footer; what follows its last frame is end of file or zeros.
 */
public final class SegmentLayout {
    private SegmentLayout() {}

    public static final long HEADER_MAGIC = 0x4745534c54435345L; // "ESCTLSEG" little-endian
    public static final int HEADER_BYTES = 64;
    public static final int FOOTER_MAGIC = 0x54465345; // "ESFT" little-endian
    public static final int FOOTER_BYTES = 64;
    public static final int FORMAT_VERSION = 1;

    public static final int H_MAGIC = 0;
    public static final int H_FORMAT_VERSION = 8;
    public static final int H_LENGTH = 12;
    public static final int H_FIRST_SEQ = 16;
    public static final int H_PREV_HASH = 24;
    public static final int H_CRC = 60;

    public static final int F_MAGIC = 0;
    public static final int F_LENGTH = 4;
    public static final int F_FIRST_SEQ = 8;
    public static final int F_LAST_SEQ = 16;
    public static final int F_LAST_HASH = 24;
    public static final int F_CRC = 60;

    static {
        if (H_PREV_HASH + FrameLayout.HASH_BYTES + 4 != H_CRC) throw new AssertionError("header does not add up");
        if (F_LAST_HASH + FrameLayout.HASH_BYTES + 4 != F_CRC) throw new AssertionError("footer does not add up");
        if (FOOTER_MAGIC == FrameLayout.MAGIC) throw new AssertionError("footer magic must differ from frame magic");
    }
}
