package dev.esctl.storage;

/** The verdict of checking the bytes at one offset as a frame. Only {@link #VALID} may be decoded. */
public enum FrameStatus {
    VALID("valid frame"),
    END_OF_DATA("end of data (no bytes or zeros)"),
    TRUNCATED("frame runs past the end of the data"),
    BAD_MAGIC("no frame magic"),
    BAD_LENGTH("impossible frame length"),
    BAD_CRC("checksum mismatch"),
    BAD_TRAILER("trailing length differs from leading length"),
    BAD_FORMAT("unknown format version or flags"),
    BAD_SEQ("seq out of sequence"),
    BAD_CHAIN("hash chain broken");

    private final String description;

    FrameStatus(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
