package dev.esctl.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.testing.Esctl;
import dev.esctl.testing.ServerProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code esctl stat} against a daemon (with rates) and against a data directory, for people and with --json. */
class StatIT {
    @TempDir Path tmp;

    @Test
    void statShowsTheFactsAndRatesFromAServerAndTheFactsOffline() throws Exception {
        Path data = tmp.resolve("data");
        String headHash;
        try (ServerProcess s = ServerProcess.start(data)) {
            assertEquals(200, s.post("/streams/a", "{\"type\":\"A\",\"data\":1}\n{\"type\":\"A\",\"data\":2}\n").statusCode());
            Esctl.Result json = Esctl.run((String) null, "stat", "--server", s.url(), "--json", "--interval", "200ms");
            assertEquals(0, json.exitCode(), json.stderr());
            String j = json.out();
            assertTrue(j.contains("\"headSeq\":2"), j);
            assertTrue(j.contains("\"rates\":{\"intervalSeconds\":"), j);
            assertTrue(j.contains("\"appendEventsPerSecondSinceStart\":"), j);
            assertTrue(j.contains("\"fsync\":\"always\""), j);
            assertTrue(j.contains("\"indexState\":\"ok\""), j);
            headHash = j.replaceAll(".*\"headHash\":\"([0-9a-f]{64})\".*\\s*", "$1");
            assertEquals(64, headHash.length(), j);

            Esctl.Result text = Esctl.run((String) null, "stat", "--server", s.url(), "--interval", "0");
            assertEquals(0, text.exitCode(), text.stderr());
            String t = text.out();
            for (String label : new String[] {"store", "server", "head", "head hash", "events", "segments", "index", "fsync", "writer", "appends", "reads", "watchers"}) {
                assertTrue(t.lines().anyMatch(l -> l.startsWith(label + " ")), label + " missing:\n" + t);
            }
            assertTrue(t.contains(headHash), t);
            assertTrue(t.contains("2 in 1 streams"), t);
            assertTrue(t.contains("events/s since start"), t);
            assertEquals(0, s.terminate());
        }
        Esctl.Result offline = Esctl.run((String) null, "stat", "--data", data.toString());
        assertEquals(0, offline.exitCode(), offline.stderr());
        assertTrue(offline.out().contains(headHash), offline.out());
        assertFalse(offline.out().contains("appends "), "no rates offline: " + offline.out());
        Esctl.Result offlineJson = Esctl.run((String) null, "stat", "--data", data.toString(), "--json");
        assertTrue(offlineJson.out().contains("\"headHash\":\"" + headHash + "\""), offlineJson.out());
        assertTrue(offlineJson.out().contains("\"fsync\":null"), "a directory has no fsync policy: " + offlineJson.out());
    }
}
