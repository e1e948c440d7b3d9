package dev.esctl.wire;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.engine.BadInputException;
import dev.esctl.storage.FrameCodec;
import dev.esctl.storage.FrameLayout;
import dev.esctl.storage.FrameStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Hostile input to the parsers: whatever the bytes, only declared errors come out, and no
 * length field makes a reader allocate what it claims.
 */
class HostileInputProperties {
    private static final byte[] VALID = "{\"type\":\"OrderPlaced\",\"id\":\"7f1c0f6e-4b4e-4d36-9a8a-0d8f5e6d2b11\",\"data\":{\"a\":[1,2.5,\"x\"],\"b\":null},\"meta\":{\"u\":\"z\"}}"
            .getBytes(StandardCharsets.UTF_8);

    private static void parseAnything(byte[] line, String stream, String type) {
        try {
            ParsedEvent p = new EventParser(stream, type).parse(line, 0, line.length, 1);
            assertNotNull(p.event());
            assertTrue(p.event().data().length > 0);
        } catch (BadInputException expected) {
            assertTrue(expected.getMessage().startsWith("line 1"), expected.getMessage());
            assertFalse(expected.code().isBlank());
        }
    }

    @Property(tries = 3000)
    void randomBytesAreParsedOrRefusedWithADeclaredError(@ForAll @Size(max = 300) byte[] line) {
        parseAnything(line, "s", null);
        parseAnything(line, null, null);
        parseAnything(line, "s", "T");
    }

    @Property(tries = 3000)
    void mutatedValidLinesAreParsedOrRefusedWithADeclaredError(@ForAll("mutations") byte[] line) {
        parseAnything(line, "s", null);
        parseAnything(line, "s", "T");
    }

    /**
     * One parser shares a stream's and a type's validated form with the next line that names the
     * same ones; whatever the sequence of names, valid or not, each line must come out exactly
     * as from a parser of its own: the same names and data, or the same refusal.
     */
    @Property(tries = 500)
    void aParserSharingNamesBetweenLinesAnswersEachLineAsAFreshParserWould(@ForAll("namedLines") java.util.List<byte[]> lines) {
        EventParser shared = new EventParser(null, null);
        for (int i = 0; i < lines.size(); i++) {
            byte[] line = lines.get(i);
            String fromShared, fromFresh;
            try {
                fromShared = describe(shared.parse(line, 0, line.length, i + 1));
            } catch (BadInputException e) {
                fromShared = e.code() + ": " + e.getMessage();
            }
            try {
                fromFresh = describe(new EventParser(null, null).parse(line, 0, line.length, i + 1));
            } catch (BadInputException e) {
                fromFresh = e.code() + ": " + e.getMessage();
            }
            assertEquals(fromFresh, fromShared, new String(line, StandardCharsets.UTF_8));
        }
    }

    /**
     * Object lines go to one non-blocking parser fed line after line, and only the lines it does
     * not take cleanly to a parser of their own: whatever the lines (valid ones with any
     * whitespace and any kind of data, damaged ones, two values or junk on a line), each must come
     * out exactly as from a parser per line: the same event, or the same refusal.
     */
    @Property(tries = 1000)
    void theReusedParserAnswersEachLineAsAParserPerLineWould(@ForAll("eventLines") java.util.List<byte[]> lines) {
        EventParser reusing = new EventParser(null, null);
        for (int i = 0; i < lines.size(); i++) {
            byte[] line = lines.get(i);
            assertEquals(answer(EventParser.parserPerLine(null, null), line, i + 1), answer(reusing, line, i + 1), new String(line, StandardCharsets.UTF_8));
        }
    }

    private static String answer(EventParser parser, byte[] line, long lineNo) {
        try {
            ParsedEvent p = parser.parse(line, 0, line.length, lineNo);
            boolean idGiven = new String(line, StandardCharsets.UTF_8).contains("\"id\"");
            return describe(p) + " / " + (idGiven ? p.event().id() : "an id made up") + " / " + (p.event().meta() == null ? null : new String(p.event().meta(), StandardCharsets.UTF_8))
                    + " / " + (p.expectation() == null ? null : p.expectation().wire());
        } catch (BadInputException e) {
            return e.code() + ": " + e.getMessage();
        }
    }

    private static final String DAMAGE = " {}[]\":,0a\\";

    /** Event lines with any JSON as data, whitespace anywhere JSON allows it, some damaged, some with more on the line. */
    @Provide
    Arbitrary<java.util.List<byte[]>> eventLines() {
        Arbitrary<String> space = Arbitraries.of("", "", " ", "  ", "\t", " \t ");
        Arbitrary<String> scalar = Arbitraries.of("0", "-1", "12.5e-3", "1E9", "true", "false", "null", "\"\"", "\"x\\\"y\\\\\"", "\"é€😀\\u00e9\"", "-0.0");
        Arbitrary<String> value = Arbitraries.recursive(() -> scalar, v -> Arbitraries.oneOf(
                v.list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]"),
                v.list().ofMaxSize(3).map(l -> {
                    StringBuilder b = new StringBuilder("{");
                    for (int i = 0; i < l.size(); i++) b.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(l.get(i));
                    return b.append("}").toString();
                })), 3);
        Arbitrary<String> meta = Arbitraries.of("", ",\"meta\":{\"u\":1}", ",\"meta\":null", ",\"meta\":{}");
        Arbitrary<String> extra = Arbitraries.of("", ",\"id\":\"7f1c0f6e-4b4e-4d36-9a8a-0d8f5e6d2b11\"", ",\"expect\":3", ",\"seq\":{\"x\":[1]}", ",\"version\":2");
        Arbitrary<String> tail = Arbitraries.of("", "", "", " ", "\t", " {}", "tru", " x", "{}", "\r ");
        Arbitrary<String> valid = Combinators.combine(space, value, meta, extra, space, tail)
                .as((sp, data, m, x, sp2, t) -> sp + "{" + sp2 + "\"stream\"" + sp + ":" + sp2 + "\"s\"," + sp + "\"type\":\"T\"" + m + x
                        + "," + sp2 + "\"data\"" + sp + ":" + sp2 + data + sp + "}" + sp2 + t);
        Arbitrary<byte[]> damaged = Combinators.combine(valid, Arbitraries.longs(), Arbitraries.integers().between(0, 3))
                .as((line, seed, n) -> {
                    byte[] b = line.getBytes(StandardCharsets.UTF_8);
                    java.util.Random r = new java.util.Random(seed);
                    for (int i = 0; i < n && b.length > 0; i++) b[r.nextInt(b.length)] = (byte) DAMAGE.charAt(r.nextInt(DAMAGE.length()));
                    return r.nextInt(4) == 0 ? java.util.Arrays.copyOf(b, r.nextInt(b.length + 1)) : b;
                });
        return Arbitraries.oneOf(valid.map(l -> l.getBytes(StandardCharsets.UTF_8)), damaged).list().ofMinSize(1).ofMaxSize(12);
    }

    private static String describe(ParsedEvent p) {
        return p.event().stream() + " / " + p.event().type() + " / " + new String(p.event().data(), StandardCharsets.UTF_8);
    }

    /** Lines naming streams and types from a small set, some of them invalid, so names repeat and alternate. */
    @Provide
    Arbitrary<java.util.List<byte[]>> namedLines() {
        Arbitrary<String> streams = Arbitraries.of("a", "a", "orders/1", "", "a/", "../x", "a\\u0000b", "x".repeat(300), "é/ü");
        Arbitrary<String> types = Arbitraries.of("T", "T", "Other", "", "T\\u0007", "y".repeat(300));
        return Combinators.combine(streams, types, Arbitraries.integers().between(0, 9))
                .as((st, ty, d) -> ("{\"stream\":\"" + st + "\",\"type\":\"" + ty + "\",\"data\":" + d + "}").getBytes(StandardCharsets.UTF_8))
                .list().ofMinSize(1).ofMaxSize(12);
    }

    /** A valid line with 1-6 bytes overwritten at random, cut at a random length. */
    @Provide
    Arbitrary<byte[]> mutations() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 6), Arbitraries.integers().between(0, VALID.length))
                .as((seed, n, cut) -> {
                    byte[] copy = VALID.clone();
                    java.util.Random r = new java.util.Random(seed);
                    for (int i = 0; i < n; i++) copy[r.nextInt(copy.length)] = (byte) r.nextInt(256);
                    return java.util.Arrays.copyOf(copy, cut);
                });
    }

    @Property(tries = 200)
    void hugeNumbersAndDeepNestingAreRefusedNotChoked(@ForAll @IntRange(min = 1001, max = 100_000) int digits) {
        byte[] big = ("{\"type\":\"T\",\"data\":" + "9".repeat(digits) + "}").getBytes(StandardCharsets.UTF_8);
        BadInputException e = assertThrows(BadInputException.class, () -> new EventParser("s", null).parse(big, 0, big.length, 1));
        assertEquals("too_deep", e.code());
        byte[] deep = ("{\"type\":\"T\",\"data\":" + "[".repeat(digits) + "]".repeat(digits) + "}").getBytes(StandardCharsets.UTF_8);
        assertEquals("too_deep", assertThrows(BadInputException.class, () -> new EventParser("s", null).parse(deep, 0, deep.length, 1)).code());
    }

    @Property(tries = 200)
    void duplicateKeysAreRefused(@ForAll("keys") String key) {
        byte[] line = ("{\"type\":\"T\",\"data\":{\"" + key + "\":1,\"" + key + "\":2}}").getBytes(StandardCharsets.UTF_8);
        assertEquals("invalid_json", assertThrows(BadInputException.class, () -> new EventParser("s", null).parse(line, 0, line.length, 1)).code());
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10);
    }

    @Property(tries = 5000)
    void theFrameCheckerNeverThrowsAndNeverTrustsALengthItCannotSee(@ForAll @Size(max = 512) byte[] bytes, @ForAll @IntRange(max = 600) int offset) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int at = Math.min(offset, bytes.length);
        FrameStatus status = new FrameCodec().check(buf, at, bytes.length);
        if (status == FrameStatus.VALID) {
            // Only a genuinely whole frame validates: its length fits the bytes given.
            assertTrue(FrameCodec.length(buf, at) <= bytes.length - at);
            assertTrue(FrameCodec.length(buf, at) >= FrameLayout.MIN_FRAME_BYTES);
        }
    }

    @Property(tries = 2000)
    void aFrameWithAnyHeaderFieldDamagedIsRefused(@ForAll @IntRange(min = 0, max = 63) int field, @ForAll byte value) {
        byte[] chain = new byte[32];
        ByteBuffer buf = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        FrameCodec codec = new FrameCodec();
        int length = codec.encode(buf, 1, 1, 1, 1, 1, "s".getBytes(), "t".getBytes(), null, "{}".getBytes(), FrameLayout.FLAG_COMMIT, 0, chain);
        if (buf.get(field) == value) return;
        buf.put(field, value);
        assertNotEquals(FrameStatus.VALID, codec.check(buf, 0, length));
    }
}
