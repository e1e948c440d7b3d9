package dev.esctl.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.esctl.testing.Esctl;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real launcher, through pipes, on a temporary data directory. */
class CliRoundTripIT {
    @TempDir Path tmp;

    @Test
    void tenThousandEventsGoInThroughAPipeAndComeBackOutUnchanged() throws Exception {
        String data = Esctl.path(tmp.resolve("data"));
        StringBuilder in = new StringBuilder();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            String stream = "orders/" + (i % 37);
            in.append("{\"stream\":\"").append(stream).append("\",\"type\":\"").append(i % 3 == 0 ? "Placed" : "Paid")
                    .append("\",\"id\":\"").append(id).append("\",\"data\":{\"i\":").append(i).append(",\"note\":\"ünï \\\"q\\\" ✓\",\"xs\":[1, 2.50, null]}")
                    .append(i % 5 == 0 ? ",\"meta\":{\"by\":\"cli\"}" : "").append("}\n");
        }
        Esctl.Result append = Esctl.run(in.toString(), "append", "--data", data);
        assertEquals(0, append.exitCode(), append.stderr());
        assertEquals(1, append.lines().size(), "one atomic batch, one result line");
        assertTrue(append.out().contains("\"firstSeq\":1,\"lastSeq\":10000,\"count\":10000"), append.out());

        Esctl.Result read = Esctl.run((String) null, "read", "--data", data);
        assertEquals(0, read.exitCode(), read.stderr());
        String[] inLines = in.toString().split("\n");
        List<String> outLines = read.lines();
        assertEquals(10_000, outLines.size());
        Map<String, Long> versions = new HashMap<>();
        for (int i = 0; i < inLines.length; i++) {
            Map<String, String> sent = fields(inLines[i]);
            Map<String, String> got = fields(outLines.get(i));
            assertEquals(Long.toString(i + 1), got.get("seq"));
            for (String f : List.of("stream", "type", "id", "data", "meta")) {
                assertEquals(sent.get(f), got.get(f), "field " + f + " of line " + (i + 1));
            }
            long v = versions.merge(got.get("stream"), 1L, Long::sum);
            assertEquals(Long.toString(v), got.get("version"));
            assertTrue(got.get("time").matches("\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z\""), got.get("time"));
        }

        Esctl.Result one = Esctl.run((String) null, "read", "orders/5", "--data", data, "--backward", "--limit", "2");
        assertEquals(2, one.lines().size());
        assertTrue(one.lines().get(0).contains("\"version\":" + versions.get("\"orders/5\"")), one.out());
    }

    @Test
    void badInputChangesNothingAndNamesTheLine() throws Exception {
        String data = Esctl.path(tmp.resolve("data"));
        assertEquals(0, Esctl.run("{\"type\":\"A\",\"data\":1}\n", "append", "s", "--data", data).exitCode());
        String[][] cases = {
                {"{\"type\":\"A\",\"data\":1}\n{\"type\":\"A\"}\n", "line 2 has no \"data\""},
                {"{\"type\":\"A\",\"data\":1}\n{\"type\":\"A\",\"data\":1,\"id\":\"nope\"}\n", "line 2 has an id \"nope\" that is not a UUID"},
                {"{\"type\":\"A\",\"data\":{}\n", "line 1 is not valid JSON"},
                {"{\"type\":\"\",\"data\":1}\n", "line 1: event type is empty"},
                {"{\"type\":\"A\\u0007\",\"data\":1}\n", "line 1: event type 'A\\u0007' contains a control character"},
                {"{\"type\":\"A\",\"data\":1,\"id\":\"7f1c0f6e-4b4e-4d36-9a8a-0d8f5e6d2b11\"}\n{\"type\":\"A\",\"data\":2,\"id\":\"7f1c0f6e-4b4e-4d36-9a8a-0d8f5e6d2b11\"}\n", "repeats id"},
                {"{\"type\":\"A\",\"data\":\"" + "x".repeat(1100) + "\"}\n", "more than the limit of 1024"},
        };
        for (String[] c : cases) {
            Esctl.Result r = Esctl.run(c[0], "append", "s", "--data", data, "--max-event-size", "1KiB");
            assertEquals(2, r.exitCode(), c[1] + ": " + r.stderr());
            assertTrue(r.stderr().contains(c[1]), "expected '" + c[1] + "' in: " + r.stderr());
            assertEquals("", r.out());
        }
        Esctl.Result badStream = Esctl.run("{\"type\":\"A\",\"data\":1}\n", "append", "a//b", "--data", data);
        assertEquals(2, badStream.exitCode());
        assertTrue(badStream.stderr().contains("empty level"), badStream.stderr());
        assertEquals(1, Esctl.run((String) null, "read", "--data", data).lines().size(), "nothing was appended");
        Esctl.Result missing = Esctl.run((String) null, "read", "nope", "--data", data);
        assertEquals(4, missing.exitCode());
        assertTrue(missing.stderr().contains("\"nope\" does not exist"), missing.stderr());
    }

    /** Top-level fields of one JSON line, each value as its exact JSON text. */
    private static Map<String, String> fields(String line) throws IOException {
        Map<String, String> out = new HashMap<>();
        byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (JsonParser p = new JsonFactory().createParser(bytes)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                long start = p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                p.finishToken();
                long end = p.currentLocation().getByteOffset();
                out.put(name, new String(bytes, (int) start, (int) (end - start), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
