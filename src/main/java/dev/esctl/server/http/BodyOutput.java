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
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream socket;
    private final boolean chunked;
    private final boolean none;
    private long left;
    private byte[] buf;
    private int len;
    private byte[] head;
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

    /** Writes bytes of the body (as a chunk when chunked), preceded by the head when it is still pending. */
    private void send(byte[] b, int off, int n) throws IOException {
        byte[] prefix = chunked ? (Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII) : new byte[0];
        int headLength = head == null ? 0 : head.length;
        byte[] out = new byte[headLength + prefix.length + n + (chunked ? 2 : 0)];
        if (head != null) System.arraycopy(head, 0, out, 0, headLength);
        System.arraycopy(prefix, 0, out, headLength, prefix.length);
        System.arraycopy(b, off, out, headLength + prefix.length, n);
        if (chunked) System.arraycopy(CRLF, 0, out, out.length - 2, 2);
        head = null;
        socket.write(out);
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
