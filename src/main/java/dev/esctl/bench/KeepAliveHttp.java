package dev.esctl.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One persistent HTTP/1.1 connection for load generation, like the clients of wrk or
 * redis-benchmark: a request is written with one write, the response (Content-Length or chunked)
 * read off the socket. Far cheaper per request than java.net.http, so on a small machine the
 * load generator does not eat the CPU the server is measured on. Not thread-safe: one per
 * client, except that {@link #close} may come from another thread (it ends a blocked read, e.g.
 * of a watch).
 */
final class KeepAliveHttp implements AutoCloseable {
    /** A response: status and body bytes. */
    record Response(int status, byte[] body) {}

    /** Receives a response body piece by piece, as it comes off the socket; the bytes are valid only during the call. */
    interface BodySink {
        void accept(byte[] b, int off, int len) throws IOException;
    }

    private final URI base;
    private final String token;
    private final int bufferBytes;
    private volatile Socket socket; // volatile: close() may come from another thread, to end a watch
    private OutputStream out;
    private InputStream in;

    KeepAliveHttp(URI base, String token) {
        this(base, token, 1 << 16);
    }

    /** @param bufferBytes the read buffer: smaller for the many idle connections of watchers */
    KeepAliveHttp(URI base, String token, int bufferBytes) {
        this.base = base;
        this.token = token;
        this.bufferBytes = bufferBytes;
    }

    Response post(String pathAndQuery, byte[] body) throws IOException {
        return send("POST", pathAndQuery, body);
    }

    Response get(String pathAndQuery) throws IOException {
        return send("GET", pathAndQuery, null);
    }

    /** Opens a GET whose body is read by the caller as it streams (a watch); the connection is then used up. */
    InputStream stream(String pathAndQuery) throws IOException {
        connect();
        writeRequest("GET", pathAndQuery, null);
        int[] length = new int[1];
        boolean chunked = readHead(length);
        if (status != 200) {
            byte[] body = chunked ? new ChunkedInput(in).readAllBytes() : in.readNBytes(length[0]);
            close();
            throw new IOException("GET " + pathAndQuery + " answered HTTP " + status + ": " + new String(body, StandardCharsets.UTF_8).strip());
        }
        if (!chunked) throw new IOException("GET " + pathAndQuery + " answered without a chunked body");
        return new ChunkedInput(in);
    }

    /**
     * A GET whose body goes to {@code sink} as it arrives, so a response of any size (a read of
     * everything) holds one buffer; the connection stays usable. Returns the status.
     */
    int get(String pathAndQuery, byte[] buffer, BodySink sink) throws IOException {
        int[] length = new int[1];
        boolean chunked;
        for (int attempt = 0; ; attempt++) {
            try {
                connect();
                writeRequest("GET", pathAndQuery, null);
                chunked = readHead(length);
                break;
            } catch (IOException e) {
                close();
                if (attempt > 0) throw e; // a kept-alive connection the server closed gets one retry
            }
        }
        try {
            InputStream body = chunked ? new ChunkedInput(in) : in;
            long left = chunked ? Long.MAX_VALUE : length[0];
            for (int n; left > 0 && (n = body.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) {
                left -= n;
                sink.accept(buffer, 0, n);
            }
            if (!chunked && left > 0) throw new IOException("connection closed " + left + " bytes before the end of the response");
            return status;
        } catch (IOException | RuntimeException e) {
            close(); // the rest of the response is unread: this connection cannot carry another
            throw e;
        }
    }

    private Response send(String method, String pathAndQuery, byte[] body) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                connect();
                writeRequest(method, pathAndQuery, body);
                int[] length = new int[1];
                boolean chunked = readHead(length);
                byte[] content = chunked ? new ChunkedInput(in).readAllBytes() : in.readNBytes(length[0]);
                return new Response(this.status, content);
            } catch (IOException e) {
                close();
                if (attempt > 0) throw e; // a kept-alive connection the server closed gets one retry
            }
        }
    }

    private int status;

    private void connect() throws IOException {
        if (socket != null) return;
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), bufferBytes);
    }

    private void writeRequest(String method, String pathAndQuery, byte[] body) throws IOException {
        out.write(request(base, token, method, pathAndQuery, body));
        out.flush();
    }

    /** A whole HTTP/1.1 request, head and body, as one array: sent with one write. */
    static byte[] request(URI base, String token, String method, String pathAndQuery, byte[] body) {
        StringBuilder h = new StringBuilder(256).append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\nHost: ")
                .append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
        if (token != null) h.append("Authorization: Bearer ").append(token).append("\r\n");
        if (body != null) h.append("Content-Type: application/x-ndjson\r\nContent-Length: ").append(body.length).append("\r\n");
        h.append("\r\n");
        byte[] head = h.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + (body == null ? 0 : body.length)];
        System.arraycopy(head, 0, all, 0, head.length);
        if (body != null) System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** Reads the status line and headers; returns true for a chunked body, else sets length[0]. */
    private boolean readHead(int[] length) throws IOException {
        String statusLine = line();
        if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) throw new IOException("bad status line: " + statusLine);
        status = Integer.parseInt(statusLine.substring(9, 12));
        boolean chunked = false;
        length[0] = 0;
        for (String l; !(l = line()).isEmpty(); ) {
            int colon = l.indexOf(':');
            String name = l.substring(0, colon).trim().toLowerCase();
            String value = l.substring(colon + 1).trim();
            if (name.equals("content-length")) length[0] = Integer.parseInt(value);
            else if (name.equals("transfer-encoding") && value.equalsIgnoreCase("chunked")) chunked = true;
        }
        return chunked;
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder(64);
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new IOException("connection closed");
            if (c != '\r') b.append((char) c);
        }
        return b.toString();
    }

    @Override
    public void close() {
        Socket s = socket;
        try {
            if (s != null) s.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
        socket = null;
    }

    /** A chunked body as a plain stream. */
    static final class ChunkedInput extends InputStream {
        private final InputStream in;
        private int left;
        private boolean done;

        ChunkedInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) return -1;
            if (left == 0) {
                String size = sizeLine();
                left = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (left == 0) {
                    sizeLine();
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, Math.min(len, left));
            if (n < 0) throw new IOException("connection closed inside a chunk");
            left -= n;
            if (left == 0) sizeLine(); // the CRLF after the chunk
            return n;
        }

        private String sizeLine() throws IOException {
            StringBuilder s = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) throw new IOException("connection closed");
                if (c != '\r') s.append((char) c);
            }
            return s.toString();
        }
    }
}
