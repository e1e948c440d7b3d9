package dev.esctl.server.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A response body on the connection's output: exactly Content-Length bytes, or chunked
 * transfer coding (each flush sends what is buffered as one chunk), or nothing (HEAD, 204,
 * length -1). The response head is written with the first bytes of the body, so a small
 * response leaves in one write. Closing ends the body (the terminating chunk), not the
 * connection. Not thread-safe.
 */
final class BodyOutput extends OutputStream {
    /** Hex digits of the largest chunk size (an int). */
    private static final int CHUNK_SIZE_DIGITS_MAX = 8;
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream socket;
    private final boolean chunked;
    private final boolean none;
    private long left;
    private byte[] buf;
    private int len;
    private byte[] head;
    private byte[] frame; // what send() writes: head, chunk prefix, data, CRLF
    private boolean closed;

    BodyOutput(OutputStream socket, byte[] head, long length, boolean chunked, boolean none) {
        this.socket = socket;
        this.head = head;
        this.chunked = chunked;
        this.none = none;
        this.left = chunked || none ? 0 : length;
        this.buf = new byte[chunked ? 16 * 1024 : (int) Math.min(16 * 1024, Math.max(64, length))];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int n) throws IOException {
        if (closed) throw new IOException("the response body is closed");
        if (none) {
            if (n > 0) throw new IOException("this response has no body");
            return;
        }
        if (!chunked) {
            if (n > left) throw new IOException("the response body is longer than its Content-Length (" + n + " bytes more, " + left + " left)");
            left -= n;
        }
        if (len + n <= buf.length) {
            System.arraycopy(b, off, buf, len, n);
            len += n;
            return;
        }
        flushBuffer(false);
        if (n >= buf.length) {
            send(b, off, n);
        } else {
            System.arraycopy(b, off, buf, 0, n);
            len = n;
        }
    }

    @Override
    public void flush() throws IOException {
        if (closed) return;
        flushBuffer(true);
    }

    private void flushBuffer(boolean toSocket) throws IOException {
        if (len > 0) {
            send(buf, 0, len);
            len = 0;
        } else if (head != null) {
            socket.write(head);
            head = null;
        }
        if (toSocket) socket.flush();
    }

    /**
     * Writes bytes of the body (as a chunk when chunked), preceded by the head when it is still
     * pending, as one socket write. The frame is assembled in an array kept for the next time:
     * a long read or watch flushes a chunk after every 16 KiB, and a new array for each made
     * garbage at the rate of the response (hundreds of MB/s for a read of everything).
     */
    private void send(byte[] b, int off, int n) throws IOException {
        int headLength = head == null ? 0 : head.length;
        int size = headLength + n + (chunked ? CHUNK_SIZE_DIGITS_MAX + 4 : 0);
        if (frame == null || frame.length < size) {
            // Grown to what is needed, not to a full chunk: a quiet watcher keeps only a small one.
            frame = new byte[Math.max(size, Math.min(buf.length + 64, frame == null ? 0 : frame.length * 2))];
        }
        int at = 0;
        if (head != null) {
            System.arraycopy(head, 0, frame, 0, headLength);
            at = headLength;
            head = null;
        }
        if (chunked) {
            String hex = Integer.toHexString(n);
            for (int i = 0; i < hex.length(); i++) frame[at++] = (byte) hex.charAt(i);
            frame[at++] = '\r';
            frame[at++] = '\n';
        }
        System.arraycopy(b, off, frame, at, n);
        at += n;
        if (chunked) {
            frame[at++] = '\r';
            frame[at++] = '\n';
        }
        socket.write(frame, 0, at);
    }

    /** True when the body is complete (all Content-Length bytes written, or the last chunk sent). */
    boolean complete() {
        return closed && (chunked || none || left == 0);
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        if (chunked) {
            if (len > 0) {
                send(buf, 0, len);
                len = 0;
            }
            if (head != null) {
                socket.write(head);
                head = null;
            }
            socket.write(LAST_CHUNK);
        } else {
            flushBuffer(false);
        }
        closed = true;
        socket.flush();
    }
}
