package dev.esctl.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.esctl.engine.BadInputException;
import dev.esctl.engine.Expectation;
import dev.esctl.engine.NewEvent;
import java.io.IOException;
import java.util.Arrays;
import java.util.UUID;

/**
 * Parses one ndjson input line into an event, with Jackson's streaming parser (no trees).
 * The {@code data} and {@code meta} values are located by token byte offsets and kept
 * byte-for-byte as sent. An event line is an object with {@code type}, {@code data}, and
 * optionally {@code meta} (an object), {@code id} (a UUID), {@code stream} and {@code expect};
 * {@code seq}, {@code version} and {@code time} are assigned by the store and ignored if present,
 * so the output of a read can be appended again. In payload mode (a fixed type), the whole
 * line is the data. Every refusal names the line and what is wrong. Not thread-safe.
 */
public final class EventParser {
    private final String fixedStream;
    private final String fixedType;
    /** The last event parsed: the next one shares its validated names when they are equal. */
    private NewEvent previous;

    /**
     * @param fixedStream the stream every event goes to, or null when each line names its own
     * @param fixedType   in payload mode the type of every event (each line is raw data), else null
     */
    public EventParser(String fixedStream, String fixedType) {
        this.fixedStream = fixedStream;
        this.fixedType = fixedType;
    }

    /** Parses {@code line[from, to)}, input line number {@code lineNo} (1-based, for messages). */
    public ParsedEvent parse(byte[] line, int from, int to, long lineNo) {
        int bad = Utf8.firstInvalid(line, from, to);
        if (bad >= 0) throw bad(lineNo, "invalid_utf8", "is not valid UTF-8 (byte " + (bad - from + 1) + ")");
        try {
            return fixedType != null ? payload(line, from, to, lineNo) : object(line, from, to, lineNo);
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw bad(lineNo, "too_deep", "is nested deeper than the limit of " + Json.MAX_NESTING_DEPTH + " levels, or has a number longer than " + Json.MAX_NUMBER_LENGTH + " digits");
        } catch (JsonProcessingException e) {
            throw bad(lineNo, "invalid_json", "is not valid JSON: " + withoutSource(e.getOriginalMessage()));
        } catch (IOException e) {
            throw bad(lineNo, "invalid_json", "could not be parsed: " + e.getMessage());
        } catch (BadInputException e) {
            if (e.getMessage().startsWith("line ")) throw e;
            throw new BadInputException(e.code(), "line " + lineNo + ": " + e.getMessage());
        }
    }

    private ParsedEvent payload(byte[] line, int from, int to, long lineNo) throws IOException {
        try (JsonParser p = Json.FACTORY.createParser(line, from, to - from)) {
            JsonToken t = p.nextToken();
            if (t == null) throw bad(lineNo, "missing_data", "is empty");
            long start = p.currentTokenLocation().getByteOffset();
            long end = valueEnd(p);
            if (p.nextToken() != null) throw bad(lineNo, "invalid_json", "holds more than one JSON value");
            previous = NewEvent.parsed(previous, fixedStream, fixedType, null, slice(line, from, start, end), null);
            return new ParsedEvent(previous, null);
        }
    }

    private ParsedEvent object(byte[] line, int from, int to, long lineNo) throws IOException {
        String stream = null, type = null, expect = null;
        UUID id = null;
        byte[] data = null, meta = null;
        try (JsonParser p = Json.FACTORY.createParser(line, from, to - from)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw bad(lineNo, "invalid_event", "is not a JSON object");
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "type" -> type = text(p, v, lineNo, "type");
                    case "stream" -> stream = text(p, v, lineNo, "stream");
                    case "id" -> id = uuid(text(p, v, lineNo, "id"), lineNo);
                    case "expect" -> expect = v == JsonToken.VALUE_NUMBER_INT ? p.getText() : text(p, v, lineNo, "expect");
                    case "data" -> data = raw(p, line, from);
                    case "meta" -> {
                        if (v == JsonToken.VALUE_NULL) break;
                        if (v != JsonToken.START_OBJECT) throw bad(lineNo, "invalid_meta", "has a \"meta\" that is not a JSON object");
                        meta = raw(p, line, from);
                    }
                    case "seq", "version", "time" -> p.skipChildren();
                    default -> throw bad(lineNo, "unknown_field", "has an unknown field \"" + field
                            + "\" (an event has type, data, and optionally meta, id, stream, expect)");
                }
            }
            if (p.nextToken() != null) throw bad(lineNo, "invalid_json", "holds more than one JSON value");
        }
        if (data == null) throw bad(lineNo, "missing_data", "has no \"data\"");
        if (type == null) throw bad(lineNo, "missing_type", "has no \"type\" (or give --type and send raw payloads)");
        if (fixedStream != null) {
            if (stream != null && !stream.equals(fixedStream)) {
                throw bad(lineNo, "invalid_stream", "names stream \"" + stream + "\" but this append is to \"" + fixedStream + "\"");
            }
            stream = fixedStream;
        } else if (stream == null) {
            throw bad(lineNo, "missing_stream", "has no \"stream\" (name one per line, or append to one stream)");
        }
        Expectation expectation = expect == null ? null : Expectation.parse(expect);
        // Each line becomes its own object, submitted once: an id made up here is fresh.
        previous = NewEvent.parsed(previous, stream, type, id, data, meta);
        return new ParsedEvent(previous, expectation);
    }

    private static byte[] raw(JsonParser p, byte[] line, int from) throws IOException {
        long start = p.currentTokenLocation().getByteOffset();
        return slice(line, from, start, valueEnd(p));
    }

    /** Byte offset just past the current value: skips a container, finishes a scalar (Jackson reads strings lazily). */
    private static long valueEnd(JsonParser p) throws IOException {
        p.skipChildren();
        p.finishToken();
        return p.currentLocation().getByteOffset();
    }

    private static byte[] slice(byte[] line, int from, long start, long end) {
        return Arrays.copyOfRange(line, from + (int) start, from + (int) end);
    }

    private static String text(JsonParser p, JsonToken v, long lineNo, String field) throws IOException {
        if (v != JsonToken.VALUE_STRING) throw bad(lineNo, "invalid_" + field, "has a \"" + field + "\" that is not a string");
        return p.getText();
    }

    private static UUID uuid(String s, long lineNo) {
        if (s.length() != 36) throw bad(lineNo, "invalid_id", "has an id \"" + s + "\" that is not a UUID");
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw bad(lineNo, "invalid_id", "has an id \"" + s + "\" that is not a UUID");
        }
    }

    /** Jackson's messages name an internal "source"; people need only what was wrong. */
    private static String withoutSource(String message) {
        return message.replaceAll("\\s*\\(start marker at \\[Source:.*?\\]\\)", "").replaceAll("\\s*at \\[Source:.*$", "").trim();
    }

    private static BadInputException bad(long lineNo, String code, String what) {
        return new BadInputException(code, "line " + lineNo + " " + what);
    }
}
