package dev.esctl.server.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpsExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One request and its response on a connection, behind the JDK's {@link HttpsExchange} API
 * (plain connections answer null for the TLS session). {@link #sendResponseHeaders} follows the
 * API: a length &gt; 0 is a Content-Length, 0 means chunked, -1 means no body. Used by the
 * connection's thread; {@link #close()} from any other thread aborts the connection (a watch
 * whose client stopped reading is cut off at shutdown).
 */
final class EsctlExchange extends HttpsExchange {
    private final Connection connection;
    private final Socket socket;
    private final HttpContext context;
    private final String method;
    private final URI uri;
    private final String protocol;
    private final Headers requestHeaders;
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private final Thread owner = Thread.currentThread();
    private InputStream requestBody;
    private final BodyInput body;
    private OutputStream responseBody;
    private BodyOutput output;
    private int responseCode = -1;
    private boolean closeAfter;

    EsctlExchange(Connection connection, Socket socket, HttpContext context, String method, URI uri, String protocol,
                  Headers requestHeaders, BodyInput body, boolean keepAlive) {
        this.connection = connection;
        this.socket = socket;
        this.context = context;
        this.method = method;
        this.uri = uri;
        this.protocol = protocol;
        this.requestHeaders = requestHeaders;
        this.body = body;
        this.requestBody = body;
        this.closeAfter = !keepAlive;
        this.responseBody = new OutputStream() {
            // Stable for the whole exchange (a filter may wrap it with setStreams before the
            // headers are sent); it writes to the body stream that sendResponseHeaders opens.
            private BodyOutput sink() throws IOException {
                if (output == null) throw new IOException("sendResponseHeaders must be called before the response body is written");
                return output;
            }

            @Override
            public void write(int b) throws IOException {
                sink().write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                sink().write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                if (output != null) output.flush();
            }

            @Override
            public void close() throws IOException {
                if (output != null) output.close();
            }
        };
    }

    @Override
    public Headers getRequestHeaders() { return requestHeaders; }
    @Override
    public Headers getResponseHeaders() { return responseHeaders; }
    @Override
    public URI getRequestURI() { return uri; }
    @Override
    public String getRequestMethod() { return method; }
    @Override
    public HttpContext getHttpContext() { return context; }
    @Override
    public InputStream getRequestBody() { return requestBody; }
    @Override
    public OutputStream getResponseBody() { return responseBody; }
    @Override
    public int getResponseCode() { return responseCode; }
    @Override
    public InetSocketAddress getRemoteAddress() { return (InetSocketAddress) socket.getRemoteSocketAddress(); }
    @Override
    public InetSocketAddress getLocalAddress() { return (InetSocketAddress) socket.getLocalSocketAddress(); }
    @Override
    public String getProtocol() { return protocol; }
    @Override
    public Object getAttribute(String name) { return attributes.get(name); }
    @Override
    public void setAttribute(String name, Object value) { attributes.put(name, value); }
    @Override
    public HttpPrincipal getPrincipal() { return null; }
    @Override
    public SSLSession getSSLSession() { return socket instanceof SSLSocket ssl ? ssl.getSession() : null; }

    @Override
    public void setStreams(InputStream in, OutputStream out) {
        if (in != null) requestBody = in;
        if (out != null) responseBody = out;
    }

    @Override
    public void sendResponseHeaders(int code, long length) throws IOException {
        if (responseCode >= 0) throw new IOException("the response headers were already sent");
        if (code < 100 || code > 999) throw new IllegalArgumentException("bad status " + code);
        responseCode = code;
        boolean none = length < 0 || method.equals("HEAD") || code == 204 || code == 304 || code < 200;
        boolean chunked = !none && length == 0;
        if (chunked && protocol.equals("HTTP/1.0")) {
            // No chunked coding in HTTP/1.0: the body ends when the connection closes.
            chunked = false;
            length = Long.MAX_VALUE;
            closeAfter = true;
        }
        if (connection.stopping()) closeAfter = true;
        String connectionHeader = responseHeaders.getFirst("Connection");
        if (connectionHeader != null && connectionHeader.equalsIgnoreCase("close")) closeAfter = true;
        StringBuilder h = new StringBuilder(160).append("HTTP/1.1 ").append(code).append(' ').append(Reasons.of(code)).append("\r\n");
        h.append("Date: ").append(HttpDates.now()).append("\r\n");
        for (Map.Entry<String, java.util.List<String>> e : responseHeaders.entrySet()) {
            if (e.getKey().equalsIgnoreCase("Content-Length") || e.getKey().equalsIgnoreCase("Transfer-Encoding") || e.getKey().equalsIgnoreCase("Connection")) continue;
            for (String v : e.getValue()) h.append(e.getKey()).append(": ").append(clean(v)).append("\r\n");
        }
        if (chunked) h.append("Transfer-Encoding: chunked\r\n");
        else if (!none && length != Long.MAX_VALUE) h.append("Content-Length: ").append(length).append("\r\n");
        else if (none && length >= 0 && method.equals("HEAD")) h.append("Content-Length: ").append(length).append("\r\n");
        if (closeAfter) h.append("Connection: close\r\n");
        h.append("\r\n");
        output = new BodyOutput(connection.output(), h.toString().getBytes(StandardCharsets.ISO_8859_1), length, chunked, none);
        if (none) output.flush();
    }

    /** A header value never carries CR or LF onto the wire (response splitting). */
    private static String clean(String v) {
        return v.indexOf('\r') < 0 && v.indexOf('\n') < 0 ? v : v.replace('\r', ' ').replace('\n', ' ');
    }

    @Override
    public void close() {
        if (Thread.currentThread() != owner) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Aborting anyway.
            }
            return;
        }
        try {
            if (output != null) output.close();
        } catch (IOException e) {
            closeAfter = true;
        }
    }

    boolean headersSent() { return responseCode >= 0; }
    BodyInput body() { return body; }
    BodyOutput output() { return output; }
    boolean closeAfter() { return closeAfter; }
    void closeAfter(boolean close) { closeAfter |= close; }
}
