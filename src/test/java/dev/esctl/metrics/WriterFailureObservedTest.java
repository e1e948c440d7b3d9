package dev.esctl.metrics;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.engine.EventStore;
import dev.esctl.engine.Expectation;
import dev.esctl.engine.StoreConfig;
import dev.esctl.storage.StoreException;
import dev.esctl.testing.LogCapture;
import dev.esctl.testing.LogFields;
import dev.esctl.testing.PrometheusText;
import dev.esctl.testing.TestEvents;
import dev.esctl.testing.crashfs.CrashFileSystem;
import dev.esctl.testing.crashfs.Fault;
import dev.esctl.testing.crashfs.FaultError;
import dev.esctl.testing.crashfs.OpKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A writer failure is loud (DESIGN.md, "Write path"): a failed fsync, injected on the
 * crash-simulating file system, is logged as event=writer_failed with the error, and the
 * metrics show it.
 */
class WriterFailureObservedTest {
    @Test
    void aFailedFsyncIsLoggedWithTheErrorAndShownByTheMetrics() throws Exception {
        CrashFileSystem fs = CrashFileSystem.create(42);
        try (EventStore store = EventStore.open(fs.getPath("/store"), StoreConfig.defaults())) {
            StoreMetrics metrics = StoreMetrics.withoutJvm(store);
            store.stats().setListener(metrics.listener());
            store.append(TestEvents.batch("s", 3, Expectation.ANY));
            assertEquals(1, scrape(metrics).value("esctl_writer_healthy"));

            fs.inject(Fault.persistent(OpKind.FORCE, 1, FaultError.EIO));
            try (LogCapture log = LogCapture.start()) {
                StoreException e = assertThrows(StoreException.class, () -> store.append(TestEvents.batch("s", 2, Expectation.ANY)));
                assertEquals(StoreException.Code.OUTCOME_UNKNOWN, e.code());
                Map<String, String> line = LogFields.first(log.lines(), "writer_failed");
                assertTrue(line.get("error").contains("EIO") || line.get("error").contains("Input/output"), line.toString());
                assertTrue(log.lines().stream().anyMatch(l -> l.contains("ERROR") && l.contains("event=writer_failed")), "logged as an error");
            }
            PrometheusText m = scrape(metrics);
            assertEquals(1, m.value("esctl_writer_failures_total"));
            assertEquals(0, m.value("esctl_writer_healthy"));
            assertEquals(3, m.value("esctl_append_events_total"), "nothing after the failure was acknowledged");
            assertEquals(1, m.value("esctl_append_latency_seconds_count"));
        }
    }

    static PrometheusText scrape(StoreMetrics metrics) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.scrape(out);
        return PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
    }
}
