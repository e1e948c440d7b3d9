package dev.esctl.server.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request body: a Content-Length count of bytes, or chunked transfer coding, read from the
 * connection's input. Reading past the body returns -1; {@link #drain} skips what the handler
 * left unread, so the next request on the connection starts where it should.
 */
final class BodyInput extends InputStream {
    private final RequestInput in;
    private final boolean chunked;
    private long left;
    private boolean done;
    private final Runnable beforeFirstRead;
    private boolean started;

    private BodyInput(RequestInput in, boolean chunked, long length, Runnable beforeFirstRead) {
        this.in = in;
        this.chunked = chunked;
        this.left = chunked ? 0 : length;
        this.done = !chunked && length == 0;
        this.beforeFirstRead = beforeFirstRead;
    }

    static BodyInput fixed(RequestInput in, long length, Runnable beforeFirstRead) {
        return new BodyInput(in, false, length, beforeFirstRead);
    }

    static BodyInput chunked(RequestInput in, Runnable beforeFirstRead) {
        return new BodyInput(in, true, 0, beforeFirstRead);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (!started) {
            started = true;
            if (beforeFirstRead != null) beforeFirstRead.run();
        }
        if (done || len == 0) return done ? -1 : 0;
        if (left == 0) {
            if (!chunked) {
                done = true;
                return -1;
            }
            left = nextChunk();
            if (left == 0) {
                done = true;
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) throw new IOException("the connection ended inside a request body");
        left -= n;
        if (left == 0 && chunked) {
            String crlf = in.line(16, 400);
            if (crlf == null || !crlf.isEmpty()) throw new HttpProtocolException(400, "a chunk is not followed by CRLF");
        }
        return n;
    }

    /** Size of the next chunk; 0 ends the body (the trailer is read and ignored). */
    private long nextChunk() throws IOException {
        String line = in.line(1024, 400);
        if (line == null) throw new IOException("the connection ended inside a chunked body");
        int semi = line.indexOf(';');
        String hex = (semi < 0 ? line : line.substring(0, semi)).trim();
        long size;
        try {
            size = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new HttpProtocolException(400, "bad chunk size '" + hex + "'");
        }
        if (size < 0) throw new HttpProtocolException(400, "bad chunk size '" + hex + "'");
        if (size == 0) {
            for (String t; (t = in.line(8192, 400)) != null && !t.isEmpty(); ) { /* trailer fields */ }
        }
        return size;
    }

    /** True once the whole body was read. */
    boolean finished() {
        return done;
    }

    /** Reads and discards up to {@code max} bytes of what is left; true when the body was read to its end. */
    boolean drain(long max) throws IOException {
        byte[] skip = new byte[8192];
        long budget = max;
        while (!done && budget > 0) {
            int n = read(skip, 0, (int) Math.min(skip.length, budget));
            if (n < 0) break;
            budget -= n;
        }
        return done;
    }

    @Override
    public void close() {
        // The connection outlives the body: the exchange drains or closes the connection.
    }
}
