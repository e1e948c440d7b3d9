package dev.esctl.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpResponseTest {
    /** The bytes as the benchmark's buffer holds them after reads: [0, position). */
    private static ByteBuffer read(String bytes) {
        return ByteBuffer.allocate(4096).put(bytes.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses {@code whole} after checking that every cut of it short of the end is incomplete. */
    private static HttpResponse completeOnlyWhole(String whole) throws IOException {
        for (int cut = 0; cut < whole.length(); cut++) assertNull(HttpResponse.parse(read(whole.substring(0, cut))), "cut at " + cut);
        return HttpResponse.parse(read(whole));
    }

    @Test
    void aContentLengthResponseIsCompleteOnlyWithItsWholeBody() throws IOException {
        String whole = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\ncontent-length: 40\r\n\r\n"
                + "{\"streams\":[{\"lastVersion\":12},{\"a\":1}]}";
        HttpResponse r = completeOnlyWhole(whole);
        assertEquals(200, r.status());
        assertEquals(12, r.lastNumber("\"lastVersion\":"));
    }

    @Test
    void aChunkedResponseIsDecodedAcrossChunkBoundaries() throws IOException {
        String whole = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "9\r\n{\"version\r\n5\r\n\":41,\r\n3\r\n\"x\"\r\n0\r\n\r\n";
        HttpResponse r = completeOnlyWhole(whole);
        assertEquals("{\"version\":41,\"x\"", r.body());
        assertEquals(41, r.lastNumber("\"version\":"));
    }

    @Test
    void malformedOrUnexpectedBytesAreErrorsNamingWhatCame() {
        assertTrue(assertThrows(IOException.class, () -> HttpResponse.parse(read("SSH-2.0-OpenSSH\r\n\r\n"))).getMessage().contains("status line"));
        assertTrue(assertThrows(IOException.class, () -> HttpResponse.parse(read("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n{}"))).getMessage()
                .contains("bytes after a response"));
        assertTrue(assertThrows(IOException.class, () -> HttpResponse.parse(read("HTTP/1.1 204 No Content\r\n\r\n"))).getMessage()
                .contains("neither Content-Length nor a chunked body"));
    }
}
