package dev.esctl.server;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log ({@code esctl serve --access-log[=FILE]}): one line per HTTP request, written
 * when its response is done (a watch, when it ends):
 * <pre>event=http_request method=GET path=/streams/orders/42 query="limit=10" status=200 bytes=1234 ms=0.812 remote=127.0.0.1:50312</pre>
 * Without a file the lines go to the log on stderr (logger {@code AccessLog}, level info);
 * with one they are appended to it, each prefixed by its UTC time, and flushed per line (rotate
 * with copytruncate). No header is ever logged, so neither is a bearer token. Thread-safe.
 */
public final class AccessLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);

    private final Writer file;
    private final ReentrantLock lock = new ReentrantLock();

    private AccessLog(Writer file) {
        this.file = file;
    }

    /** Lines to the log on stderr. */
    public static AccessLog toStderr() {
        return new AccessLog(null);
    }

    /** Lines appended to {@code path} (created if missing). */
    public static AccessLog toFile(Path path) throws IOException {
        return new AccessLog(new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(path,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), StandardCharsets.UTF_8)));
    }

    void record(String method, String rawPath, String rawQuery, int status, long bytes, long nanos, String remote) {
        StringBuilder b = new StringBuilder(160).append("event=http_request method=").append(clean(method))
                .append(" path=").append(clean(rawPath));
        if (rawQuery != null && !rawQuery.isEmpty()) b.append(" query=\"").append(clean(rawQuery)).append('"');
        b.append(" status=").append(status < 0 ? "none" : Integer.toString(status))
                .append(" bytes=").append(bytes)
                .append(" ms=").append(String.format(Locale.ROOT, "%.3f", nanos / 1e6))
                .append(" remote=").append(clean(remote));
        if (file == null) {
            log.info(b.toString());
            return;
        }
        lock.lock();
        try {
            file.write(Instant.now().toString());
            file.write(' ');
            file.write(b.toString());
            file.write('\n');
            file.flush();
        } catch (IOException e) {
            log.warn("event=access_log_failed error=\"{}\"", e.toString());
        } finally {
            lock.unlock();
        }
    }

    /** Request lines are URI-legal already; this keeps a line one line and its quotes balanced whatever arrives. */
    private static String clean(String s) {
        if (s == null) return "-";
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c == '"' || c == 0x7f) {
                if (b == null) b = new StringBuilder(s.substring(0, i));
                b.append('%').append(String.format(Locale.ROOT, "%02X", (int) c & 0xFF));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    @Override
    public void close() throws IOException {
        if (file == null) return;
        lock.lock();
        try {
            file.close();
        } finally {
            lock.unlock();
        }
    }
}
