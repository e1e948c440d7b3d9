package dev.esctl.storage;

import java.nio.file.Path;

/** Segment files are named by the first seq they hold, zero-padded to 20 digits: {@code 00000000000000000001.seg}. */
public final class SegmentName {
    private SegmentName() {}

    public static final String SUFFIX = ".seg";

    public static String of(long firstSeq) {
        return String.format("%020d%s", firstSeq, SUFFIX);
    }

    /** The first seq a segment file name stands for, or -1 when the name is not a segment name. */
    public static long firstSeq(Path file) {
        String name = file.getFileName().toString();
        if (name.length() != 20 + SUFFIX.length() || !name.endsWith(SUFFIX)) return -1;
        long seq = 0;
        for (int i = 0; i < 20; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') return -1;
            seq = seq * 10 + (c - '0');
        }
        return seq >= 1 ? seq : -1;
    }
}
