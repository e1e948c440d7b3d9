package dev.esctl.bench;

/**
 * Splits an ndjson byte stream, fed in pieces as they come off a socket, into lines, and hands
 * over only the first {@link #HEAD_BYTES} bytes of each — enough for {@code {"seq":N,"stream":"…"}
 * or the key of a control line — without building a String per line. A line that lies whole
 * inside a piece is passed in place; one cut by a piece boundary is collected first. Bounded:
 * however long a line is, at most {@code HEAD_BYTES} of it are kept. Not thread-safe.
 *
 * <p>The wire form puts {@code seq} first and {@code stream} second
 * ({@code {"seq":7,"stream":"orders/42",…}}, see {@code EventWriter}), which is what the static
 * helpers rely on.
 */
final class LineScanner {
    static final int HEAD_BYTES = 160;
    private static final byte[] SEQ = "{\"seq\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] STREAM = ",\"stream\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Receives each line's head: {@code b[off, off+len)}, valid only during the call. */
    interface Handler {
        void line(byte[] b, int off, int len);
    }

    private final Handler handler;
    private final byte[] head = new byte[HEAD_BYTES];
    private int headLength;
    private boolean inLine;
    private long lines;

    LineScanner(Handler handler) {
        this.handler = handler;
    }

    void feed(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            int nl = indexOfNewline(b, i, end);
            if (!inLine && nl >= 0) {
                handler.line(b, i, Math.min(nl - i, HEAD_BYTES));
                lines++;
                i = nl + 1;
                continue;
            }
            int stop = nl < 0 ? end : nl;
            int take = Math.min(HEAD_BYTES - headLength, stop - i);
            if (take > 0) {
                System.arraycopy(b, i, head, headLength, take);
                headLength += take;
            }
            if (nl < 0) {
                inLine = true;
                return;
            }
            handler.line(head, 0, headLength);
            lines++;
            headLength = 0;
            inLine = false;
            i = nl + 1;
        }
    }

    /** Complete lines seen so far. */
    long lines() {
        return lines;
    }

    /** True when the stream so far ends inside a line (a response cut short). */
    boolean partial() {
        return inLine;
    }

    /**
     * The first '\n' in {@code b[from, end)}, or -1; eight bytes at a time (most of what a
     * load generator does with a read of everything is this search). In {@code x = word ^ 0x0A…},
     * a newline is a zero byte, and {@code (x - 0x01…) & ~x & 0x80…} flags it; a false flag can
     * only sit above a true one, so the lowest flag is the first newline (little-endian: the
     * lowest byte is the first).
     */
    static int indexOfNewline(byte[] b, int from, int end) {
        int i = from;
        for (; i + 8 <= end; i += 8) {
            long x = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long found = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (found != 0) return i + (Long.numberOfTrailingZeros(found) >>> 3);
        }
        for (; i < end; i++) if (b[i] == '\n') return i;
        return -1;
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** The seq of an event line ({@code {"seq":N,…}), or -1 for any other line (a control line). */
    static long seq(byte[] b, int off, int len) {
        if (len <= SEQ.length || !startsWith(b, off, len, SEQ)) return -1;
        long v = 0;
        int i = off + SEQ.length, end = off + len, digits = 0;
        for (; i < end && b[i] >= '0' && b[i] <= '9' && digits < 19; i++, digits++) v = v * 10 + (b[i] - '0');
        return digits == 0 ? -1 : v;
    }

    /**
     * True when the event line's stream name starts with {@code prefix} (UTF-8, as written on the
     * wire, so a name with escaped characters must be given escaped).
     */
    static boolean streamStartsWith(byte[] b, int off, int len, byte[] prefix) {
        int i = off + SEQ.length, end = off + len;
        while (i < end && b[i] >= '0' && b[i] <= '9') i++;
        return startsWith(b, i, end - i, STREAM) && startsWith(b, i + STREAM.length, end - i - STREAM.length, prefix);
    }

    /** True when the line is the control line {@code {"<key>":…}}. */
    static boolean isControl(byte[] b, int off, int len, byte[] key) {
        if (len < key.length + 4 || b[off] != '{' || b[off + 1] != '"') return false;
        return startsWith(b, off + 2, len - 2, key) && b[off + 2 + key.length] == '"';
    }

    static boolean startsWith(byte[] b, int off, int len, byte[] prefix) {
        if (len < prefix.length) return false;
        for (int k = 0; k < prefix.length; k++) if (b[off + k] != prefix[k]) return false;
        return true;
    }
}
