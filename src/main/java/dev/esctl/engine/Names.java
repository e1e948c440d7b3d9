package dev.esctl.engine;

import java.nio.charset.StandardCharsets;

/**
 * Rules for stream names and event types. A stream name is 1-256 bytes of UTF-8 without
 * control characters; {@code /} separates levels, and no level may be empty, {@code .} or
 * {@code ..} (so a name is also a clean URL path). An event type is 1-256 bytes of UTF-8
 * without control characters.
 */
public final class Names {
    private Names() {}

    public static final int MAX_BYTES = 256;

    /** Returns the UTF-8 bytes of a valid stream name, or throws naming what is wrong. */
    public static byte[] checkStream(String stream) {
        byte[] bytes = checkName("stream name", "invalid_stream", stream);
        // Level by level without splitting: this runs for every event appended.
        for (int start = 0, end; start <= stream.length(); start = end + 1) {
            end = stream.indexOf('/', start);
            if (end < 0) end = stream.length();
            int length = end - start;
            if (length == 0) {
                throw new BadInputException("invalid_stream", "stream name " + quote(stream) + " has an empty level (leading, trailing or double '/')");
            }
            if (length <= 2 && stream.charAt(start) == '.' && (length == 1 || stream.charAt(start + 1) == '.')) {
                throw new BadInputException("invalid_stream", "stream name " + quote(stream) + " has a level '" + stream.substring(start, end) + "', which is not allowed");
            }
        }
        return bytes;
    }

    /** Returns the UTF-8 bytes of a valid event type, or throws naming what is wrong. */
    public static byte[] checkType(String type) {
        return checkName("event type", "invalid_type", type);
    }

    private static byte[] checkName(String what, String code, String name) {
        if (name == null || name.isEmpty()) throw new BadInputException(code, what + " is empty");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                throw new BadInputException(code, what + " " + quote(name) + " contains a control character (U+" + String.format("%04X", (int) c) + ")");
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(++i)))) {
                throw new BadInputException(code, what + " " + quote(name) + " is not valid Unicode (lone surrogate)");
            }
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES) {
            throw new BadInputException(code, what + " is " + bytes.length + " bytes of UTF-8, more than the limit of " + MAX_BYTES);
        }
        return bytes;
    }

    /** True when {@code stream} is {@code prefix} or below it ({@code orders} covers {@code orders/42}). */
    public static boolean inSubtree(String stream, String prefix) {
        return stream.startsWith(prefix) && (stream.length() == prefix.length() || stream.charAt(prefix.length()) == '/');
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("'");
        int shown = 0;
        for (int i = 0; i < s.length() && shown < 80; i++, shown++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) b.append(String.format("\\u%04x", (int) c)); else b.append(c);
        }
        if (s.length() > 80) b.append("...");
        return b.append('\'').toString();
    }
}
