package dev.esctl.server.http;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** The Date header's value (RFC 9110 IMF-fixdate), formatted at most once per second. */
final class HttpDates {
    private HttpDates() {}

    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.ENGLISH);

    private record Cached(long second, String text) {}

    private static volatile Cached cached = new Cached(-1, "");

    static String now() {
        long second = System.currentTimeMillis() / 1000;
        Cached c = cached;
        if (c.second() != second) {
            c = new Cached(second, IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
            cached = c;
        }
        return c.text();
    }
}
