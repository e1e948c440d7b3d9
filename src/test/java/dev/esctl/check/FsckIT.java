package dev.esctl.check;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.esctl.testing.Dirs;
import dev.esctl.testing.Esctl;
import dev.esctl.testing.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * esctl fsck as cron and operators run it: exit 0 clean, 7 damaged; --json that a script can
 * parse; --repair that fixes a damaged tail and refuses damage before it; read-only (and said
 * so) next to a running daemon, where --repair and --rebuild-index refuse.
 */
class FsckIT {
    @TempDir Path tmp;

    private Path store() throws Exception {
        Path data = tmp.resolve("data");
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < 3000; i++) in.append("{\"stream\":\"f/").append(i % 13).append("\",\"type\":\"T\",\"data\":{\"i\":").append(i).append(",\"pad\":\"")
                .append("z".repeat(80)).append("\"}}\n");
        Esctl.Result r = Esctl.run(in.toString(), "append", "--data", data.toString(), "--segment-size", "64KiB", "--batch-size", "10");
        assertEquals(0, r.exitCode(), r.stderr());
        return data;
    }

    private static void flip(Path file, long offset) throws Exception {
        byte[] b = Files.readAllBytes(file);
        b[(int) offset] ^= 0x5a;
        Files.write(file, b);
    }

    @Test
    void exitCodesJsonAndRepairFollowTheDamage() throws Exception {
        Path data = store();
        Esctl.Result clean = Esctl.run((String) null, "fsck", "--data", data.toString(), "--json");
        assertEquals(0, clean.exitCode(), clean.stderr());
        assertEquals("clean", field(clean.out(), "verdict"));

        // Damage in the last batch: found, then repaired back to the batch before it.
        Path last = Dirs.lastSegment(data);
        flip(last, Files.size(last) - 10);
        Esctl.Result tail = Esctl.run((String) null, "fsck", "--data", data.toString(), "--json");
        assertEquals(7, tail.exitCode(), tail.out() + tail.stderr());
        assertEquals("damaged", field(tail.out(), "verdict"));
        assertEquals("true", field(tail.out(), "repairable"));
        assertTrue(files(tail.out()).contains("segments/" + last.getFileName()), tail.out());
        Esctl.Result repair = Esctl.run((String) null, "fsck", "--data", data.toString(), "--repair");
        assertEquals(0, repair.exitCode(), repair.out() + repair.stderr());
        assertTrue(repair.out().contains("quarantine/" + last.getFileName()), repair.out());
        assertTrue(repair.out().contains("the log now ends at seq 2990"), "the damaged batch of 10 is cut: " + repair.out());
        assertTrue(repair.out().contains("up to seq 2990") && repair.out().contains(": clean"), "and the store checks clean: " + repair.out());

        // Damage in a sealed segment: found, named, and --repair refuses, changing nothing.
        Path first = Dirs.segments(data).get(0);
        flip(first, Files.size(first) / 2);
        byte[] before = Files.readAllBytes(first);
        Esctl.Result middle = Esctl.run((String) null, "fsck", "--data", data.toString());
        assertEquals(7, middle.exitCode());
        assertTrue(middle.out().contains("segments/" + first.getFileName() + " offset "), middle.out());
        Esctl.Result refused = Esctl.run((String) null, "fsck", "--data", data.toString(), "--repair");
        assertEquals(7, refused.exitCode());
        assertTrue(refused.stderr().contains("refusing to repair") && refused.stderr().contains("snapshot"), refused.stderr());
        assertArrayEquals(before, Files.readAllBytes(first));
    }

    @Test
    void nextToARunningDaemonFsckChecksReadOnlyAndRefusesToChangeAnything() throws Exception {
        Path data = store();
        try (ServerProcess server = ServerProcess.start(data)) {
            server.post("/streams/more", "{\"type\":\"T\",\"data\":1}\n");
            Esctl.Result check = Esctl.run((String) null, "fsck", "--data", data.toString());
            assertEquals(0, check.exitCode(), check.out() + check.stderr());
            assertTrue(check.stderr().contains("in use by another process") && check.stderr().contains("checking read-only"), check.stderr());
            for (String option : List.of("--repair", "--rebuild-index")) {
                Esctl.Result refused = Esctl.run((String) null, "fsck", "--data", data.toString(), option);
                assertEquals(5, refused.exitCode(), option + ": " + refused.stderr());
                assertTrue(refused.stderr().contains("stop the daemon first"), refused.stderr());
            }
            assertEquals(200, server.post("/streams/more", "{\"type\":\"T\",\"data\":2}\n").statusCode(), "the daemon kept working");
        }
    }

    /** A top-level string or boolean field of the JSON report. */
    private static String field(String json, String name) throws Exception {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                if (f.equals(name)) return p.getText();
                p.skipChildren();
            }
        }
        return null;
    }

    /** The "file" of every problem in the JSON report. */
    private static List<String> files(String json) throws Exception {
        List<String> out = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            for (JsonToken t; (t = p.nextToken()) != null; ) {
                if (t == JsonToken.FIELD_NAME && p.currentName().equals("file")) {
                    p.nextToken();
                    out.add(p.getText());
                }
            }
        }
        return out;
    }
}
