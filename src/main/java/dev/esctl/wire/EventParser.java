package dev.esctl.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
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
 *
 * <p>Object lines are parsed by one non-blocking parser, fed line after line: making a parser
 * per line was a sixth of the time of a line. A line counts only when it parses cleanly there,
 * one object and nothing else on it; any other line (a refusal, an unusual one) drops that
 * parser and is parsed again on a parser of its own, as every line used to be, so each answer
 * is exactly that of a parser per line. {@code HostileInputProperties} checks that.
 *
 * <p>Close it when the input is done: a Jackson parser merges the field names it met into the
 * factory's shared symbol table and returns its buffers only when closed. Left open, every
 * request's parser copied the whole table again (a sixth of what the daemon allocated at 64
 * clients).
 */
public final class EventParser implements AutoCloseable {
    private final String fixedStream;
    private final String fixedType;
    private final boolean reuseParser;
    /** The last event parsed: the next one shares its validated names when they are equal. */
    private NewEvent previous;
    /** The parser fed line after line (null until the next object line, after any line it did not parse). */
    private JsonParser reused;
    /** Bytes fed to {@link #reused} before the current line: its offsets count from its first line. */
    private long reusedFed;

    /**
     * @param fixedStream the stream every event goes to, or null when each line names its own
     * @param fixedType   in payload mode the type of every event (each line is raw data), else null
     */
    public EventParser(String fixedStream, String fixedType) {
        this(fixedStream, fixedType, true);
    }

    private EventParser(String fixedStream, String fixedType, boolean reuseParser) {
        this.fixedStream = fixedStream;
        this.fixedType = fixedType;
        this.reuseParser = reuseParser;
    }

    /** A parser that gives every line a Jackson parser of its own: the answers the reused parser must match. */
    static EventParser parserPerLine(String fixedStream, String fixedType) {
        return new EventParser(fixedStream, fixedType, false);
    }

    /** Parses {@code line[from, to)}, input line number {@code lineNo} (1-based, for messages). */
    public ParsedEvent parse(byte[] line, int from, int to, long lineNo) {
        int bad = Utf8.firstInvalid(line, from, to);
        if (bad >= 0) throw bad(lineNo, "invalid_utf8", "is not valid UTF-8 (byte " + (bad - from + 1) + ")");
        // Jackson takes zeros among the first four bytes for UTF-16 or UTF-32, and then counts
        // offsets in characters: refuse them here (a zero byte is never valid JSON anyway).
        for (int i = from; i < Math.min(to, from + 4); i++) {
            if (line[i] == 0) throw bad(lineNo, "invalid_json", "is not valid JSON: it has a zero byte (byte " + (i - from + 1) + ")");
        }
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
        ParsedEvent e = reuseParser ? objectOnReusedParser(line, from, to, lineNo) : null;
        if (e != null) return e;
        try (JsonParser p = Json.FACTORY.createParser(line, from, to - from)) {
            return object(p, false, 0, line, from, to, lineNo);
        }
    }

    /** The line's event when it parses cleanly on {@link #reused}; else null, and the parser is dropped. */
    private ParsedEvent objectOnReusedParser(byte[] line, int from, int to, long lineNo) {
        try {
            if (reused == null) {
                reused = Json.FACTORY.createNonBlockingByteArrayParser();
                reusedFed = 0;
            }
            ((ByteArrayFeeder) reused.getNonBlockingInputFeeder()).feedInput(line, from, to);
            long base = reusedFed;
            reusedFed += to - from;
            return object(reused, true, base, line, from, to, lineNo);
        } catch (IOException | RuntimeException e) {
            dropReused();
            return null;
        }
    }

    private void dropReused() {
        if (reused == null) return;
        try {
            reused.close();
        } catch (IOException ignored) {
            // Closing a parser over bytes in memory has nothing that can fail; it is dropped anyway.
        }
        reused = null;
    }

    /** Releases the reused parser (its names go to the shared symbol table, its buffers back for reuse). */
    @Override
    public void close() {
        dropReused();
    }

    /**
     * The event of one object line, from {@code p} positioned before it. On the reused parser
     * ({@code onReused}, offsets counted from {@code base}) a line that does not end where its
     * object does throws {@link NotOneObject}.
     */
    private ParsedEvent object(JsonParser p, boolean onReused, long base, byte[] line, int from, int to, long lineNo) throws IOException {
        String stream = null, type = null, expect = null;
        UUID id = null;
        byte[] data = null, meta = null;
        if (next(p) != JsonToken.START_OBJECT) throw bad(lineNo, "invalid_event", "is not a JSON object");
        for (JsonToken t = next(p); t != JsonToken.END_OBJECT; t = next(p)) {
            String field = p.currentName();
            JsonToken v = next(p);
            switch (field) {
                case "type" -> type = text(p, v, lineNo, "type");
                case "stream" -> stream = text(p, v, lineNo, "stream");
                case "id" -> id = uuid(text(p, v, lineNo, "id"), lineNo);
                case "expect" -> expect = v == JsonToken.VALUE_NUMBER_INT ? p.getText() : text(p, v, lineNo, "expect");
                case "data" -> data = raw(p, onReused, base, line, from);
                case "meta" -> {
                    if (v == JsonToken.VALUE_NULL) break;
                    if (v != JsonToken.START_OBJECT) throw bad(lineNo, "invalid_meta", "has a \"meta\" that is not a JSON object");
                    meta = raw(p, onReused, base, line, from);
                }
                case "seq", "version", "time" -> skip(p, onReused);
                default -> throw bad(lineNo, "unknown_field", "has an unknown field \"" + field
                        + "\" (an event has type, data, and optionally meta, id, stream, expect)");
            }
        }
        if (onReused) {
            // Only whitespace may follow on the line, and the parser must have taken all of it.
            for (int i = from + (int) (p.currentLocation().getByteOffset() - base); i < to; i++) {
                if (line[i] != ' ' && line[i] != '\t') throw NotOneObject.INSTANCE;
            }
            if (p.nextToken() != JsonToken.NOT_AVAILABLE) throw NotOneObject.INSTANCE;
        } else if (p.nextToken() != null) {
            throw bad(lineNo, "invalid_json", "holds more than one JSON value");
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

    /** The next token; on the reused parser the line must not end before its object does. */
    private static JsonToken next(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.NOT_AVAILABLE) throw NotOneObject.INSTANCE;
        return t;
    }

    /** Skips the current value; on the reused parser token by token ({@code skipChildren} would wait for input for ever). */
    private static void skip(JsonParser p, boolean onReused) throws IOException {
        if (!onReused) {
            p.skipChildren();
            return;
        }
        if (!p.currentToken().isStructStart()) return;
        for (int open = 1; open > 0; ) {
            JsonToken t = next(p);
            if (t.isStructStart()) open++;
            else if (t.isStructEnd()) open--;
        }
    }

    /** A line the reused parser does not take as one clean object: it is parsed again on its own. */
    private static final class NotOneObject extends RuntimeException {
        static final NotOneObject INSTANCE = new NotOneObject();

        private NotOneObject() {
            super(null, null, false, false);
        }
    }

    /** The current value's bytes, as sent. */
    private static byte[] raw(JsonParser p, boolean onReused, long base, byte[] line, int from) throws IOException {
        long start = p.currentTokenLocation().getByteOffset() - base;
        if (onReused) {
            // The non-blocking parser places a token one byte after its first (Jackson 2.22); the
            // byte before a value is never one that starts a value, so take the first that does.
            if (start > 0 && startsValue(line[from + (int) start - 1])) start--;
            else if (!startsValue(line[from + (int) start])) throw NotOneObject.INSTANCE;
            skip(p, true);
            return Arrays.copyOfRange(line, from + (int) start, from + (int) (p.currentLocation().getByteOffset() - base));
        }
        return slice(line, from, start, valueEnd(p));
    }

    private static boolean startsValue(byte b) {
        return b == '{' || b == '[' || b == '"' || b == '-' || (b >= '0' && b <= '9') || b == 't' || b == 'f' || b == 'n';
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
