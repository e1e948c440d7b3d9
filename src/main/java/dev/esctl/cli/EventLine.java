package dev.esctl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * One line of a watch or read, as a person reads it on a terminal:
 * {@code 05:00:00.123456  #7  orders/42@3  OrderShipped  {"total":12}} — colours only when
 * asked (a terminal that understands them), the data compacted to one line and shortened.
 */
final class EventLine {
    private static final JsonFactory JSON = new JsonFactory();
    private static final String DIM = "\u001b[2m", CYAN = "\u001b[36m", BOLD = "\u001b[1m", YELLOW = "\u001b[33m", RESET = "\u001b[0m";
    private static final int DATA_MAX = 160;

    private EventLine() {}

    /** The seq of an event line, or -1 when the line is a control line (no top-level "seq"). */
    static long seq(byte[] line) {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME) return -1;
            if (!p.currentName().equals("seq")) return -1;
            p.nextToken();
            return p.getLongValue();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The readable form of an event line (the wire form of DESIGN.md). */
    static String readable(byte[] line, boolean colour) {
        String seq = "", stream = "", version = "", type = "", time = "", data = "";
        try (JsonParser p = JSON.createParser(line)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                switch (f) {
                    case "seq" -> seq = p.getText();
                    case "stream" -> stream = p.getText();
                    case "version" -> version = p.getText();
                    case "type" -> type = p.getText();
                    case "time" -> time = p.getText();
                    case "data" -> {
                        long start = p.currentTokenLocation().getByteOffset();
                        p.skipChildren();
                        p.finishToken();
                        data = compact(new String(line, (int) start, (int) (p.currentLocation().getByteOffset() - start), StandardCharsets.UTF_8));
                    }
                    default -> {
                        if (t.isStructStart()) p.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            return new String(line, StandardCharsets.UTF_8);
        }
        String shortTime = time.length() >= 26 ? time.substring(11, 26) : time;
        if (!colour) return shortTime + "  #" + seq + "  " + stream + "@" + version + "  " + type + "  " + data;
        return DIM + shortTime + RESET + "  " + CYAN + "#" + seq + RESET + "  " + BOLD + stream + RESET + "@" + version + "  " + YELLOW + type + RESET + "  " + data;
    }

    private static String compact(String json) {
        String one = json.replaceAll("\\s*\\n\\s*", " ");
        return one.length() <= DATA_MAX ? one : one.substring(0, DATA_MAX - 1) + "…";
    }
}
