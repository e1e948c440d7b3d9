package dev.esctl.server.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One client connection on its own thread (see {@link EsctlHttpServer} for which kind): reads a
 * request head under the limits, runs the handler on an {@link EsctlExchange}, finishes the
 * exchange (ends the response body, drains what is left of the request body), and loops while
 * the connection is kept alive.
 * A request that breaks HTTP/1.1 gets its status and the connection closes; a request that
 * does not arrive in time is cut off.
 */
final class Connection implements Runnable {
    /** What is left of a refused or unread request body is read (and discarded) up to this, then the connection closes. */
    private static final long DRAIN_BYTES = 64L * 1024 * 1024;

    private final EsctlHttpServer server;
    private final Socket socket;
    private final HttpLimits limits;
    private OutputStream output;
    private volatile RequestInput input;
    private volatile boolean inExchange;

    Connection(EsctlHttpServer server, Socket socket, HttpLimits limits) {
        this.server = server;
        this.socket = socket;
        this.limits = limits;
    }

    OutputStream output() {
        return output;
    }

    boolean stopping() {
        return server.stopping();
    }

    boolean idle() {
        return !inExchange;
    }

    /** Ends a read that waits past its deadline (see {@link RequestInput#cutIfLate}). */
    void cutIfLate(long nowNanos) {
        RequestInput in = input;
        if (in != null) in.cutIfLate(nowNanos);
    }

    void abort() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
    }

    @Override
    public void run() {
        try (socket) {
            try {
                serve();
            } catch (HttpProtocolException e) {
                refuse(e.status(), e.getMessage()); // before the socket closes
            }
        } catch (IOException | RuntimeException e) {
            // The client went away, timed out, or broke the protocol beyond an answer.
        } finally {
            server.closed(this);
        }
    }

    private void serve() throws IOException {
        socket.setTcpNoDelay(true);
        RequestInput in = new RequestInput(socket);
        input = in;
        output = socket.getOutputStream();
        while (!server.stopping()) {
            in.deadlineIn(TimeUnit.MILLISECONDS.toNanos(limits.idleMillis()));
            String requestLine;
            try {
                requestLine = in.line(limits.lineBytes(), 414);
            } catch (SocketTimeoutException idle) {
                return;
            }
            if (requestLine == null) return;
            if (requestLine.isEmpty()) continue; // a stray CRLF between requests
            inExchange = true;
            try {
                if (!exchange(in, requestLine)) return;
            } finally {
                inExchange = false;
            }
        }
    }

    /** Serves one request; false when the connection must close afterwards. */
    private boolean exchange(RequestInput in, String requestLine) throws IOException {
        in.deadlineIn(TimeUnit.MILLISECONDS.toNanos(limits.requestMillis()));
        String[] parts = requestLine.split(" ");
        if (parts.length != 3) throw new HttpProtocolException(400, "malformed request line");
        String method = parts[0], target = parts[1], protocol = parts[2];
        if (!protocol.equals("HTTP/1.1") && !protocol.equals("HTTP/1.0")) throw new HttpProtocolException(505, "only HTTP/1.1 and HTTP/1.0 are served");
        if (method.isEmpty() || !method.chars().allMatch(c -> c >= 'A' && c <= 'Z')) throw new HttpProtocolException(400, "malformed method");
        URI uri;
        try {
            if (!target.startsWith("/")) throw new URISyntaxException(target, "not an origin-form target");
            uri = new URI(target);
        } catch (URISyntaxException e) {
            throw new HttpProtocolException(400, "malformed request target");
        }
        Headers headers = new Headers();
        int count = 0;
        for (String line; !(line = in.line(limits.lineBytes(), 431)).isEmpty(); ) {
            if (++count > limits.headers()) throw new HttpProtocolException(431, "more than " + limits.headers() + " header fields");
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t' || line.substring(0, colon).indexOf(' ') >= 0) {
                throw new HttpProtocolException(400, "malformed header field");
            }
            headers.add(line.substring(0, colon), line.substring(colon + 1).trim());
        }
        String te = headers.getFirst("Transfer-Encoding");
        String cl = headers.getFirst("Content-Length");
        boolean expectContinue = "100-continue".equalsIgnoreCase(headers.getFirst("Expect")) && protocol.equals("HTTP/1.1");
        Runnable beforeFirstRead = expectContinue ? this::sendContinue : null;
        BodyInput body;
        if (te != null) {
            if (cl != null) throw new HttpProtocolException(400, "both Transfer-Encoding and Content-Length");
            if (!te.trim().equalsIgnoreCase("chunked")) throw new HttpProtocolException(501, "Transfer-Encoding '" + te + "' is not supported");
            body = BodyInput.chunked(in, beforeFirstRead);
        } else {
            long length = 0;
            if (cl != null) {
                length = contentLength(headers.get("Content-Length").size() > 1 ? "" : cl.trim());
            }
            body = BodyInput.fixed(in, length, beforeFirstRead);
        }
        String connectionHeader = headers.getFirst("Connection");
        boolean keepAlive = protocol.equals("HTTP/1.1")
                ? connectionHeader == null || !connectionHeader.toLowerCase(Locale.ROOT).contains("close")
                : connectionHeader != null && connectionHeader.toLowerCase(Locale.ROOT).contains("keep-alive");
        HttpContext context = server.contextFor(uri.getRawPath());
        if (context == null) throw new HttpProtocolException(404, "no handler for this path");
        EsctlExchange ex = new EsctlExchange(this, socket, context, method, uri, protocol, headers, body, keepAlive);
        try {
            new Filter.Chain(context.getFilters(), context.getHandler()).doFilter(ex);
        } catch (IOException | RuntimeException e) {
            if (!ex.headersSent()) {
                ex.getResponseHeaders().set("Content-Type", "application/json");
                byte[] error = "{\"error\":\"internal\",\"message\":\"internal error\"}\n".getBytes(StandardCharsets.UTF_8);
                ex.closeAfter(true);
                ex.sendResponseHeaders(500, error.length);
                ex.getResponseBody().write(error);
            } else {
                return false;
            }
        }
        if (!ex.headersSent()) {
            // The handler answered nothing: the client must not wait for a response that never comes.
            ex.closeAfter(true);
            ex.sendResponseHeaders(500, -1);
        }
        ex.close();
        if (!ex.output().complete()) return false;
        if (ex.closeAfter()) return false;
        // The next request starts after this one's body: read what the handler left.
        return body.finished() || body.drain(DRAIN_BYTES);
    }

    /** Digits only (no sign, no spaces inside), at most 18 of them; else 400. */
    private static long contentLength(String v) throws HttpProtocolException {
        if (v.isEmpty() || v.length() > 18) throw new HttpProtocolException(400, "bad Content-Length");
        long n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') throw new HttpProtocolException(400, "bad Content-Length");
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private void sendContinue() {
        try {
            output.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            output.flush();
        } catch (IOException ignored) {
            // The body read that follows fails on its own.
        }
    }

    /** Answers a request that broke the protocol (nothing of a response sent yet) and lets the connection close. */
    private void refuse(int status, String message) {
        try {
            byte[] body = ("{\"error\":\"bad_request\",\"message\":\"" + message.replace("\"", "'") + "\"}\n").getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + " " + Reasons.of(status) + "\r\nDate: " + HttpDates.now()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
            output.write(head.getBytes(StandardCharsets.US_ASCII));
            output.write(body);
            output.flush();
        } catch (IOException | RuntimeException ignored) {
            // The client is gone.
        }
    }
}
