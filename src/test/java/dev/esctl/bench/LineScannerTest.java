package dev.esctl.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineScannerTest {
    private static final String BODY = """
            {"seq":7,"stream":"bench/a1","version":3,"type":"T","data":{"x":"%s"}}
            {"caughtUp":{"seq":7,"head":7}}
            {"seq":12,"stream":"other/b","version":1,"type":"T","data":{}}
            {"heartbeat":{"head":12,"time":"2026-11-26T05:00:00.123456Z"}}
            {"fellBehind":{"lag":20000,"head":30000}}
            {"seq":123456789012,"stream":"bench/a2","version":9,"type":"T","data":{}}
            """.formatted("x".repeat(1000));

    /** What a handler makes of each line head: seq, or the control key, plus whether the stream is bench/'s. */
    private static List<String> scan(byte[] body, int pieceBytes) {
        List<String> seen = new ArrayList<>();
        byte[] own = "bench/".getBytes(StandardCharsets.UTF_8);
        LineScanner s = new LineScanner((b, off, len) -> {
            assertTrue(len <= LineScanner.HEAD_BYTES, "a head is at most " + LineScanner.HEAD_BYTES + " bytes, got " + len);
            long seq = LineScanner.seq(b, off, len);
            if (seq >= 0) seen.add(seq + (LineScanner.streamStartsWith(b, off, len, own) ? " own" : " foreign"));
            else if (LineScanner.isControl(b, off, len, "caughtUp".getBytes(StandardCharsets.US_ASCII))) seen.add("caughtUp");
            else if (LineScanner.isControl(b, off, len, "fellBehind".getBytes(StandardCharsets.US_ASCII))) seen.add("fellBehind");
            else seen.add("other");
        });
        for (int i = 0; i < body.length; i += pieceBytes) s.feed(body, i, Math.min(pieceBytes, body.length - i));
        assertFalse(s.partial());
        assertEquals(6, s.lines());
        return seen;
    }

    @Test
    void linesCutAnywhereAcrossPiecesReadTheSameAsWhole() {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        List<String> whole = scan(body, body.length);
        assertEquals(List.of("7 own", "caughtUp", "12 foreign", "other", "fellBehind", "123456789012 own"), whole);
        for (int piece = 1; piece <= 200; piece++) assertEquals(whole, scan(body, piece), "pieces of " + piece + " bytes");
    }

    @Test
    void aLineEndingInsideTheLastPieceIsPartial() {
        byte[] body = "{\"seq\":1,\"stream\":\"a\"}\n{\"seq\":2,".getBytes(StandardCharsets.UTF_8);
        List<Long> seqs = new ArrayList<>();
        LineScanner s = new LineScanner((b, off, len) -> seqs.add(LineScanner.seq(b, off, len)));
        s.feed(body, 0, body.length);
        assertEquals(List.of(1L), seqs);
        assertTrue(s.partial());
    }

    @Test
    void theNewlineSearchFindsTheFirstNewlineWhereverItIs() {
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 2000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            // Bytes near '\n' (0x0A) and with the high bit set are what a word-at-a-time search gets wrong.
            byte[] alphabet = {'\n', 0x0B, 0x09, (byte) 0x8A, (byte) 0xFF, 0, 'a', 0x01};
            for (int i = 0; i < b.length; i++) b[i] = alphabet[random.nextInt(alphabet.length)];
            int from = b.length == 0 ? 0 : random.nextInt(b.length);
            int expected = -1;
            for (int i = from; i < b.length; i++) if (b[i] == '\n') { expected = i; break; }
            assertEquals(expected, LineScanner.indexOfNewline(b, from, b.length), "round " + round + ": " + java.util.Arrays.toString(b) + " from " + from);
        }
    }

    @Test
    void aControlKeyMustBeTheWholeKey() {
        byte[] b = "{\"caughtUpLater\":1}".getBytes(StandardCharsets.UTF_8);
        assertFalse(LineScanner.isControl(b, 0, b.length, "caughtUp".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(-1, LineScanner.seq(b, 0, b.length));
    }
}
