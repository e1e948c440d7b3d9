package dev.esctl.bench;

import dev.esctl.client.EsctlClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The load goes to a daemon over HTTP, one {@link KeepAliveHttp} connection per client. */
final class HttpTarget implements LoadTarget {
    private final URI server;
    private final String token;
    private final byte[] data;

    HttpTarget(URI server, String token, byte[] data) {
        this.server = server;
        this.token = token;
        this.data = data;
    }

    @Override
    public Connection connect() {
        return new HttpConnection();
    }

    @Override
    public long headSeq() throws IOException {
        try (KeepAliveHttp h = new KeepAliveHttp(server, token)) {
            KeepAliveHttp.Response r = h.get("/health");
            String body = new String(r.body(), StandardCharsets.UTF_8);
            long seq = JsonFields.number(body, "headSeq");
            if (seq < 0) throw new IOException("GET /health answered HTTP " + r.status() + " without a headSeq: " + body);
            return seq;
        }
    }

    @Override
    public List<String> streams(int max) throws IOException {
        List<String> names = new ArrayList<>();
        byte[] key = "{\"stream\":".getBytes(StandardCharsets.US_ASCII);
        LineScanner lines = new LineScanner((b, off, len) -> {
            if (names.size() >= max || !LineScanner.startsWith(b, off, len, key)) return;
            names.add(JsonFields.string(new String(b, off, len, StandardCharsets.UTF_8), "stream"));
        });
        try (KeepAliveHttp h = new KeepAliveHttp(server, token)) {
            int status = h.get("/streams", new byte[1 << 16], lines::feed);
            if (status != 200) throw new IOException("GET /streams answered HTTP " + status);
        }
        return names;
    }

    @Override
    public ServerProbe probe() {
        return ServerProbe.http(server, token);
    }

    @Override
    public String describe() {
        return "HTTP " + server;
    }

    private final class HttpConnection implements Connection {
        // A watcher is one of possibly thousands of mostly idle connections: small buffers. A
        // reader's large reads bypass the connection's buffer and go straight into its own.
        private final KeepAliveHttp http = new KeepAliveHttp(server, token, 1 << 14);
        private byte[] readBuffer;
        private byte[] body = new byte[0];
        private int bodyEvents;

        @Override
        public long[] append(String stream, int events) throws IOException {
            if (bodyEvents != events) {
                body = AppendBenchmark.ndjsonBody(data, events);
                bodyEvents = events;
            }
            KeepAliveHttp.Response r = http.post(EsctlClient.streamPath(stream), body);
            String result = new String(r.body(), StandardCharsets.UTF_8);
            if (r.status() != 200) throw new IOException("append to " + stream + " answered HTTP " + r.status() + ": " + result.strip());
            return new long[] {JsonFields.number(result, "firstSeq"), JsonFields.number(result, "lastSeq")};
        }

        @Override
        public ReadCount read(String stream) throws IOException {
            SeqCheck check = new SeqCheck(stream == null);
            LineScanner lines = new LineScanner((b, off, len) -> check.seq(LineScanner.seq(b, off, len)));
            long[] bytes = new long[1];
            String path = stream == null ? "/events" : EsctlClient.streamPath(stream);
            if (readBuffer == null) readBuffer = new byte[1 << 16];
            int status = http.get(path, readBuffer, (b, off, len) -> {
                bytes[0] += len;
                lines.feed(b, off, len);
            });
            if (status != 200) throw new IOException("GET " + path + " answered HTTP " + status);
            if (lines.partial()) throw new IOException("GET " + path + " ended inside a line");
            return new ReadCount(check.count(), bytes[0], check.first(), check.last());
        }

        @Override
        public void watch(WatchSpec spec, WatchSink sink) throws IOException {
            StringBuilder path = new StringBuilder("/watch?from=end&heartbeat=500");
            if (spec.stream() != null) path.append("&stream=").append(EsctlClient.encode(spec.stream()));
            if (spec.recursive()) path.append("&recursive=true");
            byte[] own = spec.own().getBytes(StandardCharsets.UTF_8);
            long[] now = new long[1];
            LineScanner lines = new LineScanner((b, off, len) -> {
                long seq = LineScanner.seq(b, off, len);
                if (seq >= 0) {
                    if (LineScanner.streamStartsWith(b, off, len, own)) sink.event(seq, now[0]);
                    else sink.foreign();
                } else if (LineScanner.isControl(b, off, len, CAUGHT_UP)) {
                    sink.caughtUp();
                } else if (LineScanner.isControl(b, off, len, FELL_BEHIND)) {
                    sink.fellBehind();
                }
            });
            byte[] buffer = new byte[1 << 14];
            try (var in = http.stream(path.toString())) {
                // One clock reading per read: every line in it arrived together.
                for (int n; (n = in.read(buffer, 0, buffer.length)) > 0; ) {
                    now[0] = System.nanoTime();
                    lines.feed(buffer, 0, n);
                }
            }
            throw new IOException("the server ended the watch");
        }

        @Override
        public void close() {
            http.close();
        }
    }

    private static final byte[] CAUGHT_UP = "caughtUp".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FELL_BEHIND = "fellBehind".getBytes(StandardCharsets.US_ASCII);
}
