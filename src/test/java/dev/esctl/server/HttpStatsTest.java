package dev.esctl.server;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Requests are counted by route template, so the number of series stays bounded whatever the paths. */
class HttpStatsTest {
    @Test
    void routesAreTemplatesNeverRawPaths() {
        Set<String> extra = Set.of("/watch", "/metrics");
        assertEquals("/streams/:stream", HttpStats.template("/streams/orders/42", extra));
        assertEquals("/streams/:stream", HttpStats.template("/streams/a%2Fb", extra));
        assertEquals("/streams", HttpStats.template("/streams/", extra));
        assertEquals("/events", HttpStats.template("/events", extra));
        assertEquals("/metrics", HttpStats.template("/metrics", extra));
        assertEquals("other", HttpStats.template("/etc/passwd", extra));
        assertEquals("other", HttpStats.template("/metrics/x", extra));
    }

    @Test
    void unknownMethodsAndMissingResponsesAreBucketed() {
        HttpStats stats = new HttpStats();
        stats.record("GET", "/events", 200);
        stats.record("GET", "/events", 200);
        stats.record("BREW", "other", 405);
        stats.record("POST", "/events", -1);
        assertEquals(2L, stats.snapshot().get(new HttpStats.Key("GET", "/events", "200")));
        assertEquals(1L, stats.snapshot().get(new HttpStats.Key("other", "other", "405")));
        assertEquals(1L, stats.snapshot().get(new HttpStats.Key("POST", "/events", "none")));
        assertEquals(4, stats.total());
    }
}
