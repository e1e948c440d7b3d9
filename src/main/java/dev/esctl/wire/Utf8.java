package dev.esctl.wire;

/** Strict UTF-8 validation (no overlongs, no surrogates, nothing above U+10FFFF), without decoding. */
public final class Utf8 {
    private Utf8() {}

    /** Offset of the first byte that is not valid UTF-8 in {@code b[from, to)}, or -1 when all of it is valid. */
    public static int firstInvalid(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int c = b[i] & 0xFF;
            if (c < 0x80) { i++; continue; }
            int n;
            int min;
            if (c >= 0xC2 && c <= 0xDF) { n = 1; min = 0x80; }
            else if (c >= 0xE0 && c <= 0xEF) { n = 2; min = 0x800; }
            else if (c >= 0xF0 && c <= 0xF4) { n = 3; min = 0x10000; }
            else return i;
            if (i + n >= to) return i;
            int cp = c & (0x3F >> n);
            for (int k = 1; k <= n; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) return i;
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
            i += n + 1;
        }
        return -1;
    }
}
