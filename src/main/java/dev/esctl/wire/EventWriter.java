package dev.esctl.wire;

import dev.esctl.engine.AppendResult;
import dev.esctl.engine.StreamRange;
import dev.esctl.index.StreamInfo;
import dev.esctl.storage.EventRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Writes the wire form, one JSON object per line:
 * <pre>{"seq":7,"stream":"orders/42","version":3,"type":"OrderShipped","id":"…","time":"2026-11-26T05:00:00.123456Z","data":{…},"meta":{…}}</pre>
 * {@code data} and {@code meta} are copied byte-for-byte as they were appended (they were
 * validated as JSON then); {@code meta} is left out when the event has none. Strings are
 * escaped per RFC 8259. Writes into a reusable buffer and hands whole lines to the stream.
 * Not thread-safe.
 */
public final class EventWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final OutputStream out;
    private byte[] buf = new byte[512]; // grows to the largest line written
    private int len;

    public EventWriter(OutputStream out) {
        this.out = out;
    }

    public void write(EventRecord e) throws IOException {
        len = 0;
        ascii("{\"seq\":").number(e.seq());
        ascii(",\"stream\":").string(e.stream());
        ascii(",\"version\":").number(e.version());
        ascii(",\"type\":").string(e.type());
        ascii(",\"id\":\"").uuid(e.id()).ascii("\"");
        ascii(",\"time\":\"").ascii(Timestamps.format(e.timeMicros())).ascii("\"");
        ascii(",\"data\":").raw(e.data());
        if (e.meta() != null) ascii(",\"meta\":").raw(e.meta());
        ascii("}\n");
        out.write(buf, 0, len);
    }

    /** {"firstSeq":1,"lastSeq":3,"count":3,"time":"…","streams":[{"stream":"a","firstVersion":1,"lastVersion":3,"count":3}]} */
    public void write(AppendResult r) throws IOException {
        len = 0;
        ascii("{\"firstSeq\":").number(r.firstSeq());
        ascii(",\"lastSeq\":").number(r.lastSeq());
        ascii(",\"count\":").number(r.count());
        ascii(",\"time\":\"").ascii(Timestamps.format(r.timeMicros())).ascii("\"");
        ascii(",\"streams\":[");
        boolean first = true;
        for (StreamRange s : r.streams()) {
            if (!first) ascii(",");
            first = false;
            ascii("{\"stream\":").string(s.stream());
            ascii(",\"firstVersion\":").number(s.firstVersion());
            ascii(",\"lastVersion\":").number(s.lastVersion());
            ascii(",\"count\":").number(s.count()).ascii("}");
        }
        ascii("]");
        if (r.replay()) ascii(",\"replay\":true");
        ascii("}\n");
        out.write(buf, 0, len);
    }

    /** {"stream":"orders/42","lastVersion":3,"lastSeq":7} */
    public void write(StreamInfo s) throws IOException {
        len = 0;
        ascii("{\"stream\":").string(s.stream());
        ascii(",\"lastVersion\":").number(s.lastVersion());
        ascii(",\"lastSeq\":").number(s.lastSeq()).ascii("}\n");
        out.write(buf, 0, len);
    }

    public void flush() throws IOException {
        out.flush();
    }

    private EventWriter ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) buf[len++] = (byte) s.charAt(i);
        return this;
    }

    private EventWriter number(long v) {
        return ascii(Long.toString(v));
    }

    private EventWriter raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    private EventWriter uuid(UUID id) {
        return ascii(id.toString());
    }

    /** A JSON string: quotes, backslashes and control characters escaped, everything else as UTF-8. */
    EventWriter string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ensure(b.length * 6 + 2);
        buf[len++] = '"';
        for (byte x : b) {
            int c = x & 0xFF;
            if (c == '"' || c == '\\') {
                buf[len++] = '\\';
                buf[len++] = x;
            } else if (c < 0x20) {
                buf[len++] = '\\';
                buf[len++] = 'u';
                buf[len++] = '0';
                buf[len++] = '0';
                buf[len++] = HEX[c >> 4];
                buf[len++] = HEX[c & 0xF];
            } else {
                buf[len++] = x;
            }
        }
        buf[len++] = '"';
        return this;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + more + 1024));
        }
    }
}
