package dev.esctl.bench;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.testing.Esctl;
import dev.esctl.testing.ServerProcess;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read, watch and mixed benchmarks against a real daemon, briefly: they run, check what they claim, and report. No timings asserted. */
class BenchLoadIT {
    @TempDir Path tmp;

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":(-?[0-9.]+)").matcher(json);
        assertTrue(m.find(), "no \"" + key + "\" in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void watchersReceiveEveryEventOnceAndReadsSeeTheWholeLog() throws Exception {
        try (ServerProcess s = ServerProcess.start(tmp.resolve("data"))) {
            Esctl.Result watch = Esctl.run((String) null, "bench", "watch", "--server", s.url(), "--watchers", "4", "--appenders", "2",
                    "--rate", "500", "--batch", "5", "--duration", "2s", "--json");
            assertEquals(0, watch.exitCode(), watch.stderr());
            String w = watch.out();
            double appended = number(w, "events appended");
            assertTrue(appended >= 100, w);
            assertEquals(4 * appended, number(w, "events delivered"), w);
            assertEquals(0, number(w, "lost"), w);
            assertEquals(0, number(w, "duplicates"), w);
            assertEquals(0, number(w, "out of order"), w);
            assertTrue(w.contains("\"check\":\"ok\""), w);
            assertTrue(w.contains("\"latencyMs\":{\"p50\":"), w);
            assertTrue(number(w, "server RSS MiB") > 0, w);

            Esctl.Result all = Esctl.run((String) null, "bench", "read", "--server", s.url(), "--mode", "all", "--warmup", "0", "--duration", "1s", "--json");
            assertEquals(0, all.exitCode(), all.stderr());
            assertEquals(appended, number(all.out(), "events per read"), "nothing else was appended: " + all.out());
            assertTrue(number(all.out(), "MB/s (ndjson)") > 0, all.out());

            Esctl.Result stream = Esctl.run((String) null, "bench", "read", "--server", s.url(), "--mode", "stream", "--warmup", "0", "--duration", "1s", "--json");
            assertEquals(0, stream.exitCode(), stream.stderr());
            assertEquals(10, number(stream.out(), "events per read"), stream.out());

            Esctl.Result mixed = Esctl.run((String) null, "bench", "mixed", "--server", s.url(), "--appenders", "2", "--readers", "2", "--watchers", "3",
                    "--duration", "2s", "--json");
            assertEquals(0, mixed.exitCode(), mixed.stderr());
            assertTrue(mixed.out().contains("\"role\":\"append\"") && mixed.out().contains("\"role\":\"read\"") && mixed.out().contains("\"role\":\"watch\""), mixed.out());
            assertEquals(0, number(mixed.out(), "lost"), mixed.out());
            assertTrue(mixed.out().contains("\"check\":\"ok\""), mixed.out());
        }
    }

    @Test
    void httpAppendClientsRacingOnOneStreamWithExpectationsAppendExactlyWhatTheyReport() throws Exception {
        try (ServerProcess s = ServerProcess.start(tmp.resolve("data"))) {
            Esctl.Result r = Esctl.run((String) null, "bench", "append", "--server", s.url(), "--clients", "4", "--shared-stream", "--expect",
                    "--batch", "3", "--duration", "2s", "--json");
            assertEquals(0, r.exitCode(), r.stderr());
            double events = number(r.out(), "events");
            assertTrue(events >= 30 && events % 3 == 0, r.out());
            assertTrue(number(r.out(), "conflicts") > 0, "four clients expecting the same version must collide: " + r.out());
            String last = s.get("/streams/bench%2Fshared?backward=true&limit=1").body();
            assertTrue(last.contains("\"version\":" + (long) events + ","), "the stream ends at the version of the last acknowledged event: " + last + " vs " + r.out());

            Esctl.Result own = Esctl.run((String) null, "bench", "append", "--server", s.url(), "--clients", "2", "--events", "200", "--json");
            assertEquals(0, own.exitCode(), own.stderr());
            assertEquals(200, number(own.out(), "events"), own.out());
        }
    }

    @Test
    void inProcessWatchersOfOneStreamEachGetTheirStreamsEvents() throws Exception {
        Esctl.Result r = Esctl.run((String) null, "bench", "watch", "--data", tmp.resolve("store").toString(), "--watch", "stream",
                "--watchers", "5", "--appenders", "2", "--rate", "1000", "--duration", "1s");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.out().contains("check                  ok"), r.out());
        assertTrue(r.out().contains("deliver (ack to watcher)"), r.out());
    }
}
