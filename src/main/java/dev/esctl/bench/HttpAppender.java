package dev.esctl.bench;

import dev.esctl.client.EsctlClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Appends through a running daemon over one kept-alive HTTP connection. */
final class HttpAppender implements Appender {
    private final KeepAliveHttp http;
    private final byte[] line;
    private byte[] body = new byte[0];
    private int bodyEvents;

    HttpAppender(URI server, String token, byte[] data) {
        this.http = new KeepAliveHttp(server, token);
        this.line = ("{\"type\":\"BenchEvent\",\"data\":" + new String(data, StandardCharsets.UTF_8) + "}\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public long append(String stream, int events, long expected) throws Exception {
        if (bodyEvents != events) {
            body = new byte[line.length * events];
            for (int i = 0; i < events; i++) System.arraycopy(line, 0, body, i * line.length, line.length);
            bodyEvents = events;
        }
        String path = EsctlClient.streamPath(stream) + (expected >= 0 ? "?expect=" + expected : "");
        KeepAliveHttp.Response r = http.post(path, body);
        if (r.status() == 409) return -1;
        if (r.status() != 200) throw new IllegalStateException("append answered HTTP " + r.status() + ": " + new String(r.body(), StandardCharsets.UTF_8));
        return lastVersionIn(r.body());
    }

    @Override
    public long lastVersion(String stream) throws Exception {
        KeepAliveHttp.Response r = http.get(EsctlClient.streamPath(stream) + "?backward=true&limit=1");
        if (r.status() == 404) return 0;
        String s = new String(r.body(), StandardCharsets.UTF_8);
        int i = s.indexOf("\"version\":");
        return Long.parseLong(s.substring(i + 10, s.indexOf(',', i)));
    }

    /** {"…","streams":[{"stream":…,"firstVersion":…,"lastVersion":N,…}]} → N */
    private static long lastVersionIn(byte[] result) {
        String s = new String(result, StandardCharsets.UTF_8);
        int i = s.lastIndexOf("\"lastVersion\":") + 14;
        int j = i;
        while (j < s.length() && Character.isDigit(s.charAt(j))) j++;
        return Long.parseLong(s.substring(i, j));
    }

    @Override
    public void close() {
        http.close();
    }
}
