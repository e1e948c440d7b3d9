package dev.esctl.jmh;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Inputs shared by the benchmarks: an order event whose JSON {@code data} has nesting, numbers
 * and strings (so a parser has real work to skip), padded to the size asked for, and the same
 * event as an ndjson input line. Deterministic: every run measures the same bytes.
 */
final class SampleEvents {
    private SampleEvents() {}

    static final String STREAM = "orders/42";
    static final String TYPE = "OrderPlaced";
    /** Payload size of "a ~200-byte event". */
    static final int DATA_BYTES = 200;
    /** Size of "a ~200-byte ndjson line". */
    static final int LINE_BYTES = 200;
    static final UUID ID = UUID.fromString("0190c3b2-7d4e-7a51-9c2f-3b8e6a1d2f40");
    /** 2026-11-26T05:00:00.123456Z in microseconds since the epoch. */
    static final long TIME_MICROS = 1_795_669_200_123_456L;

    /** A JSON object of exactly {@code bytes} bytes (at least 98), e.g. {"order":"o-42","customer":{...},"items":[...],"note":"..."}. */
    static byte[] data(int bytes) {
        String head = "{\"order\":\"o-42\",\"customer\":{\"id\":\"c-7731\"},\"items\":[{\"sku\":\"A-1\",\"qty\":2,\"price\":12.5}],\"note\":\"";
        String tail = "\"}";
        int pad = bytes - head.length() - tail.length();
        if (pad < 0) throw new IllegalArgumentException("data of " + bytes + " bytes is below the " + (head.length() + tail.length()) + " of the fixed fields");
        StringBuilder note = new StringBuilder(pad);
        String words = "please leave the parcel at the back door ";
        while (note.length() < pad) note.append(words, 0, Math.min(words.length(), pad - note.length()));
        byte[] out = (head + note + tail).getBytes(StandardCharsets.UTF_8);
        assert out.length == bytes : "data is " + out.length + " bytes, wanted " + bytes;
        return out;
    }

    /** One ndjson input line of exactly {@code bytes} bytes, without the newline: stream, type, id and data. */
    static byte[] line(int bytes, String stream, UUID id) {
        String head = "{\"stream\":\"" + stream + "\",\"type\":\"" + TYPE + "\",\"id\":\"" + id + "\",\"data\":";
        byte[] data = data(bytes - head.length() - 1);
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[h.length + data.length + 1];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(data, 0, out, h.length, data.length);
        out[out.length - 1] = '}';
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
