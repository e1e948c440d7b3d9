package dev.esctl.wire;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.Instant;

/** Commit times on the wire: RFC 3339 in UTC with exactly six fraction digits, e.g. {@code 2026-11-26T05:00:00.123456Z}. */
public final class Timestamps {
    private Timestamps() {}

    /** The last second formatted ("2026-11-26T05:00:00."): events come in runs of the same second. */
    private record Second(long epochSecond, String prefix) {}

    private static volatile Second last = new Second(Long.MIN_VALUE, "");

    public static String format(long micros) {
        long seconds = Math.floorDiv(micros, 1_000_000L);
        int fraction = (int) Math.floorMod(micros, 1_000_000L);
        Second s = last;
        if (s.epochSecond() != seconds) {
            s = new Second(seconds, prefix(seconds));
            last = s;
        }
        StringBuilder b = new StringBuilder(27).append(s.prefix());
        return pad(b, fraction, 6).append('Z').toString();
    }

    private static String prefix(long seconds) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(27);
        pad(b, t.getYear(), 4).append('-');
        pad(b, t.getMonthValue(), 2).append('-');
        pad(b, t.getDayOfMonth(), 2).append('T');
        pad(b, t.getHour(), 2).append(':');
        pad(b, t.getMinute(), 2).append(':');
        pad(b, t.getSecond(), 2).append('.');
        return b.toString();
    }

    /** Parses an RFC 3339 time into microseconds since the epoch, or throws IllegalArgumentException. */
    public static long parse(String s) {
        try {
            Instant i = Instant.parse(s);
            return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + s + "' is not an RFC 3339 time like 2026-11-26T05:00:00Z");
        }
    }

    private static StringBuilder pad(StringBuilder b, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) b.append('0');
        return b.append(s);
    }
}
