package dev.esctl.metrics;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.testing.LogCapture;
import dev.esctl.testing.LogFields;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Slow fsyncs and overload refusals are logged promptly, then at most once per interval with the count. */
class WriterEventLogTest {
    private static final long MS = 1_000_000L, S = 1_000_000_000L;

    @Test
    void slowFsyncsAreCountedAndLoggedAtMostOncePerInterval() {
        WriterEventLog events = new WriterEventLog(100 * MS, 10 * S);
        long t0 = System.nanoTime();
        try (LogCapture log = LogCapture.start()) {
            events.forced(5 * MS);
            events.report(t0 + S, false);
            assertEquals(List.of(), log.events("slow_fsync"), "a fast fsync is not logged");

            events.forced(150 * MS);
            events.forced(400 * MS);
            events.report(t0 + 2 * S, false);
            List<String> lines = log.events("slow_fsync");
            assertEquals(1, lines.size(), "the first slow fsyncs are logged at once");
            Map<String, String> f = LogFields.of(lines.get(0));
            assertEquals("2", f.get("count"));
            assertEquals("400.0", f.get("max_ms"));
            assertEquals("100", f.get("threshold_ms"));

            events.forced(200 * MS);
            events.report(t0 + 5 * S, false);
            assertEquals(1, log.events("slow_fsync").size(), "within the interval nothing more is logged");
            events.forced(300 * MS);
            events.report(t0 + 12 * S, false);
            lines = log.events("slow_fsync");
            assertEquals(2, lines.size());
            f = LogFields.of(lines.get(1));
            assertEquals("2", f.get("count"), "the line carries the count since the previous one");
            assertEquals("300.0", f.get("max_ms"));
            assertEquals("10.0", f.get("seconds"));
        }
    }

    @Test
    void overloadRefusalsAreRateLimitedAndTheRestIsLoggedOnClose() {
        WriterEventLog events = new WriterEventLog(0, 10 * S);
        long t0 = System.nanoTime();
        try (LogCapture log = LogCapture.start()) {
            events.forced(10 * S);
            for (int i = 0; i < 500; i++) events.overloaded();
            events.report(t0 + S, false);
            for (int i = 0; i < 7; i++) events.overloaded();
            events.report(t0 + 2 * S, false);
            List<String> lines = log.events("appends_refused");
            assertEquals(1, lines.size());
            assertEquals("500", LogFields.of(lines.get(0)).get("count"));
            assertEquals("overloaded", LogFields.of(lines.get(0)).get("reason"));
            events.close();
            lines = log.events("appends_refused");
            assertEquals(2, lines.size(), "closing logs what is pending");
            assertEquals("7", LogFields.of(lines.get(1)).get("count"));
            assertEquals(List.of(), log.events("slow_fsync"), "threshold 0: slow fsyncs are not watched");
        }
    }
}
