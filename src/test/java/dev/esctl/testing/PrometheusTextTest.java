package dev.esctl.testing;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The strict reader used by the metrics tests refuses what a scraper would. */
class PrometheusTextTest {
    private static final String OK = """
            # HELP a_total A counter.
            # TYPE a_total counter
            a_total{route="/streams/{x}",q="a\\"b"} 3.0
            # TYPE h histogram
            h_bucket{le="0.1"} 1
            h_bucket{le="+Inf"} 2
            h_count 2
            h_sum 0.3
            """;

    @Test
    void acceptsTheFormatAndReadsValues() {
        PrometheusText t = PrometheusText.parse(OK);
        assertEquals(3.0, t.value("a_total", "route", "/streams/{x}", "q", "a\"b"));
        assertEquals("histogram", t.type("h"));
    }

    @Test
    void refusesWhatAScraperWould() {
        String[] bad = {
                "a_total 1\n",                                              // no TYPE
                "# TYPE a counter\na{x=\"1} 1\n",                          // unterminated label value
                "# TYPE a gauge\na 1\na 2\n",                               // duplicate series
                "# TYPE a gauge\na  1\n",                                   // two spaces
                "# TYPE a gauge\na one\n",                                  // not a number
                "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n", // decreasing buckets
                "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 3\n", // +Inf differs from count
                "# TYPE a gauge\na 1",                                      // no final newline
        };
        for (String b : bad) assertThrows(AssertionError.class, () -> PrometheusText.parse(b), b);
    }
}
