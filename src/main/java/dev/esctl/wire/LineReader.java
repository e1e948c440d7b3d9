package dev.esctl.wire;

import dev.esctl.engine.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits an input stream into lines ({@code \n}, with an optional {@code \r} before it) of at
 * most {@code maxLineBytes}, without ever holding more than one line plus a read buffer.
 * Blank lines are skipped (but counted, so line numbers in messages match the input). Not
 * thread-safe.
 */
public final class LineReader {
    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] chunk;
    private int chunkPos;
    private int chunkLen;
    private byte[] line;
    private int lineLen;
    private long lineNo;

    public LineReader(InputStream in, int maxLineBytes) {
        this(in, maxLineBytes, 64 * 1024);
    }

    /**
     * @param readBytes size of the read buffer: small for a small request (a buffer is zeroed
     *                  when allocated, so a large one costs more than a small body is worth)
     */
    public LineReader(InputStream in, int maxLineBytes, int readBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.chunk = new byte[Math.max(256, readBytes)];
        this.line = new byte[Math.min(8192, Math.max(256, readBytes))];
    }

    /** Reads the next non-blank line; false at end of input. Then {@link #bytes()} holds [0, {@link #length()}). */
    public boolean next() throws IOException {
        while (true) {
            lineLen = 0;
            boolean any = false;
            while (true) {
                if (chunkPos == chunkLen) {
                    chunkLen = in.read(chunk);
                    chunkPos = 0;
                    if (chunkLen <= 0) {
                        chunkLen = 0;
                        if (!any) return false;
                        break;
                    }
                }
                any = true;
                int nl = -1;
                for (int i = chunkPos; i < chunkLen; i++) {
                    if (chunk[i] == '\n') { nl = i; break; }
                }
                int end = nl < 0 ? chunkLen : nl;
                append(end - chunkPos);
                chunkPos = nl < 0 ? chunkLen : nl + 1;
                if (nl >= 0) break;
            }
            lineNo++;
            if (lineLen > 0 && line[lineLen - 1] == '\r') lineLen--;
            if (!isBlank()) return true;
        }
    }

    private void append(int n) {
        if (lineLen + n > maxLineBytes) {
            throw new BadInputException("line_too_long", "line " + (lineNo + 1) + " is longer than the limit of " + maxLineBytes + " bytes");
        }
        if (lineLen + n > line.length) line = Arrays.copyOf(line, Math.max(line.length * 2, lineLen + n));
        System.arraycopy(chunk, chunkPos, line, lineLen, n);
        lineLen += n;
    }

    private boolean isBlank() {
        for (int i = 0; i < lineLen; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t') return false;
        }
        return true;
    }

    public byte[] bytes() { return line; }
    public int length() { return lineLen; }
    /** 1-based number of the current line in the input. */
    public long lineNumber() { return lineNo; }
}
