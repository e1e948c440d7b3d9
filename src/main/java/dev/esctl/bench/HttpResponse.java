package dev.esctl.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A complete HTTP/1.1 response found in the bytes read so far (a buffer in write mode:
 * {@code [0, position)} holds them). A Content-Length body is read in place, without copying;
 * a chunked one (a read) is decoded into a buffer of its own. For the load generator: a
 * malformed response is an error, not a case to serve.
 */
record HttpResponse(ByteBuffer bytes, int status, int bodyStart, int bodyEnd) {
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    private static final byte[] CHUNKED = "transfer-encoding: chunked".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};

    /** The response in {@code bytes}, or null when more of it has to be read. */
    static HttpResponse parse(ByteBuffer bytes) throws IOException {
        int end = bytes.position();
        int headEnd = indexOf(bytes, 0, end, HEAD_END);
        if (headEnd < 0) return null;
        if (headEnd < 12 || bytes.get(0) != 'H' || bytes.get(8) != ' ') throw new IOException("not an HTTP/1.1 status line: " + text(bytes, 0, Math.min(end, 40)));
        int status = (bytes.get(9) - '0') * 100 + (bytes.get(10) - '0') * 10 + (bytes.get(11) - '0');
        if (indexOfIgnoreCase(bytes, 0, headEnd, CHUNKED) >= 0) return dechunk(bytes, status, headEnd + 4, end);
        int at = indexOfIgnoreCase(bytes, 0, headEnd, CONTENT_LENGTH);
        if (at < 0) throw new IOException("a response with neither Content-Length nor a chunked body (HTTP " + status + ")");
        long length = 0;
        int i = at + CONTENT_LENGTH.length;
        while (bytes.get(i) == ' ') i++;
        for (byte c; (c = bytes.get(i)) >= '0' && c <= '9'; i++) length = length * 10 + (c - '0');
        int bodyStart = headEnd + 4;
        if (bodyStart + length > bytes.capacity()) throw new IOException("a response body of " + length + " bytes does not fit the benchmark's buffer");
        if (end < bodyStart + length) return null;
        if (end > bodyStart + length) throw new IOException("bytes after a response, with no request in flight");
        return new HttpResponse(bytes, status, bodyStart, (int) (bodyStart + length));
    }

    /** The chunks from {@code from} to the last one, decoded; null while the last has not arrived. */
    private static HttpResponse dechunk(ByteBuffer bytes, int status, int from, int end) throws IOException {
        ByteBuffer body = ByteBuffer.allocate(end - from);
        for (int at = from; ; ) {
            int lineEnd = indexOf(bytes, at, end, CRLF);
            if (lineEnd < 0) return null;
            int size = 0;
            for (int i = at; i < lineEnd && Character.digit(bytes.get(i), 16) >= 0; i++) size = size * 16 + Character.digit(bytes.get(i), 16);
            int data = lineEnd + 2;
            if (size == 0) {
                if (end < data + 2) return null; // the CRLF that ends the body (no trailers are sent)
                if (end > data + 2) throw new IOException("bytes after a response, with no request in flight");
                return new HttpResponse(body, status, 0, body.position());
            }
            if (end < data + size + 2) return null;
            body.put(body.position(), bytes, data, size).position(body.position() + size);
            at = data + size + 2;
        }
    }

    /** The number after the last {@code key} in the body ({@code "lastVersion":} of an append's result). */
    long lastNumber(String key) throws IOException {
        byte[] k = key.getBytes(StandardCharsets.US_ASCII);
        int at = -1;
        for (int from = bodyStart, i; (i = indexOf(bytes, from, bodyEnd, k)) >= 0; from = i + 1) at = i;
        if (at < 0) throw new IOException("no " + key + " in the response: " + body());
        long n = 0;
        for (int i = at + k.length; i < bodyEnd && bytes.get(i) >= '0' && bytes.get(i) <= '9'; i++) n = n * 10 + (bytes.get(i) - '0');
        return n;
    }

    String body() {
        return text(bytes, bodyStart, bodyEnd);
    }

    private static String text(ByteBuffer b, int from, int to) {
        byte[] out = new byte[to - from];
        b.get(from, out);
        return new String(out, StandardCharsets.UTF_8);
    }

    private static int indexOf(ByteBuffer b, int from, int to, byte[] what) {
        outer:
        for (int i = from; i <= to - what.length; i++) {
            for (int j = 0; j < what.length; j++) if (b.get(i + j) != what[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static int indexOfIgnoreCase(ByteBuffer b, int from, int to, byte[] lowerCase) {
        outer:
        for (int i = from; i <= to - lowerCase.length; i++) {
            for (int j = 0; j < lowerCase.length; j++) if (Character.toLowerCase(b.get(i + j)) != lowerCase[j]) continue outer;
            return i;
        }
        return -1;
    }
}
