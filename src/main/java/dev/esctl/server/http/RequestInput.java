package dev.esctl.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * The buffered input side of one connection: request heads read line by line under the
 * limits, bodies read through it. Enforces the request deadline: a blocking read that is still
 * waiting when the deadline passes is cut off by the server's deadline sweep ({@link #cutIfLate}),
 * and a read that starts after it fails at once, so a client that dribbles bytes is cut off
 * when its time is up. Not a socket timeout: on a virtual thread every timed read arms and
 * cancels a timer task, about a quarter of the daemon's CPU per single-event append
 * (docs/design-notes.md). Except over TLS: there the sweep could end a read only by closing
 * the socket, which may block on a close_notify to a client that does not read, so each read
 * keeps its socket timeout. Not thread-safe, except for {@link #cutIfLate}: the connection's
 * thread only.
 */
final class RequestInput extends InputStream {
    private final Socket socket;
    private final boolean tls;
    private final InputStream in;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int end;
    private long deadlineNanos = Long.MAX_VALUE;
    /** The deadline of the blocking read in progress; Long.MAX_VALUE between reads. */
    private long readDeadlineNanos = Long.MAX_VALUE; // guarded by this
    private boolean cut; // guarded by this

    RequestInput(Socket socket) throws IOException {
        this.socket = socket;
        this.tls = socket instanceof javax.net.ssl.SSLSocket;
        this.in = socket.getInputStream();
    }

    /** Reads until {@code nanos} from now at most (0: no deadline). */
    void deadlineIn(long nanos) {
        deadlineNanos = nanos <= 0 ? Long.MAX_VALUE : System.nanoTime() + nanos;
    }

    /** True when a byte is buffered (a pipelined request follows), without blocking. */
    boolean buffered() {
        return pos < end;
    }

    private boolean fill() throws IOException {
        long now = System.nanoTime();
        synchronized (this) {
            if (cut || late(deadlineNanos, now)) throw timedOut();
            readDeadlineNanos = deadlineNanos;
        }
        if (tls) socket.setSoTimeout(deadlineNanos == Long.MAX_VALUE ? 0 : Math.clamp((deadlineNanos - now) / 1_000_000, 1, Integer.MAX_VALUE));
        int n;
        try {
            n = in.read(buf, 0, buf.length);
        } catch (IOException e) {
            if (disarm()) throw timedOut();
            throw e;
        }
        if (disarm()) throw timedOut();
        if (n < 0) return false;
        pos = 0;
        end = n;
        return true;
    }

    private synchronized boolean disarm() {
        readDeadlineNanos = Long.MAX_VALUE;
        return cut;
    }

    /**
     * From the server's deadline sweep: when a read is waiting past its deadline, shuts the
     * input down; the read ends and reports a timeout, and the output still works.
     */
    synchronized void cutIfLate(long nowNanos) {
        if (tls || cut || !late(readDeadlineNanos, nowNanos)) return;
        cut = true;
        try {
            socket.shutdownInput();
        } catch (IOException ignored) {
            // Closed already: the read has ended.
        }
    }

    private static boolean late(long deadline, long now) {
        return deadline != Long.MAX_VALUE && now - deadline >= 0;
    }

    private static SocketTimeoutException timedOut() {
        return new SocketTimeoutException("the request did not arrive in time");
    }

    @Override
    public int read() throws IOException {
        if (pos == end && !fill()) return -1;
        return buf[pos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pos == end && !fill()) return -1;
        int n = Math.min(len, end - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    /**
     * One line of a request head (CRLF or LF), as ISO-8859-1; null at end of stream before any
     * byte. A line longer than {@code max} is refused.
     */
    String line(int max, int status) throws IOException {
        StringBuilder b = new StringBuilder(64);
        while (true) {
            if (pos == end && !fill()) {
                if (b.length() == 0) return null;
                throw new HttpProtocolException(400, "the connection ended inside a request line");
            }
            while (pos < end) {
                byte c = buf[pos++];
                if (c == '\n') {
                    int l = b.length();
                    if (l > 0 && b.charAt(l - 1) == '\r') b.setLength(l - 1);
                    return b.toString();
                }
                if (b.length() >= max) throw new HttpProtocolException(status, "a request line or header is longer than " + max + " bytes");
                b.append((char) (c & 0xFF));
            }
        }
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
