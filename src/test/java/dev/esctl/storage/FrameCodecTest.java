package dev.esctl.storage;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
    private final FrameCodec codec = new FrameCodec();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private ByteBuffer encode(String stream, String type, byte[] meta, byte[] data, long seq, byte[] chain) {
        ByteBuffer buf = ByteBuffer.allocate(FrameLayout.frameLength(utf8(stream).length, utf8(type).length,
                meta == null ? 0 : meta.length, data.length) + 16).order(ByteOrder.LITTLE_ENDIAN);
        codec.encode(buf, seq, 3, 1_700_000_000_123_456L, 0x0123456789abcdefL, 0xfedcba9876543210L,
                utf8(stream), utf8(type), meta, data, FrameLayout.FLAG_COMMIT, 7, chain);
        return buf;
    }

    @Test
    void roundTripKeepsEveryFieldIncludingUnicode() {
        byte[] chain = new byte[32];
        byte[] data = utf8("{\"name\":\"Zoë 🚀 — ünïcödé\",\"n\":[1,2,3]}");
        byte[] meta = utf8("{\"user\":\"ålice\"}");
        ByteBuffer buf = encode("orders/ünï/42", "OrderPlaced✓", meta, data, 17, chain);
        assertEquals(FrameStatus.VALID, codec.check(buf, 0, buf.position()));
        EventRecord e = codec.decode(buf, 0);
        assertEquals(17, e.seq());
        assertEquals(3, e.version());
        assertEquals("orders/ünï/42", e.stream());
        assertEquals("OrderPlaced✓", e.type());
        assertEquals(new UUID(0x0123456789abcdefL, 0xfedcba9876543210L), e.id());
        assertEquals(1_700_000_000_123_456L, e.timeMicros());
        assertArrayEquals(data, e.data());
        assertArrayEquals(meta, e.meta());
        assertArrayEquals(chain, e.chainHash());
        assertTrue(e.commitsBatch());
    }

    @Test
    void emptyMetaDecodesAsNull() {
        ByteBuffer buf = encode("s", "t", null, utf8("1"), 1, new byte[32]);
        assertNull(codec.decode(buf, 0).meta());
        assertEquals(FrameLayout.MIN_FRAME_BYTES + 1, buf.position(), "smallest frame: 1-byte stream, type and data");
    }

    @Test
    void maximalNamesAndLargeDataRoundTrip() {
        String stream = "s".repeat(FrameLayout.MAX_NAME_BYTES);
        String type = "t".repeat(FrameLayout.MAX_NAME_BYTES);
        byte[] data = new byte[16 * 1024 * 1024];
        Arrays.fill(data, (byte) '7');
        ByteBuffer buf = encode(stream, type, utf8("{}"), data, 1, new byte[32]);
        assertEquals(FrameStatus.VALID, codec.check(buf, 0, buf.position()));
        EventRecord e = codec.decode(buf, 0);
        assertEquals(stream, e.stream());
        assertEquals(type, e.type());
        assertArrayEquals(data, e.data());
    }

    @Test
    void chainHashDependsOnPreviousHashAndContent() {
        byte[] a = new byte[32];
        encode("s", "t", null, utf8("1"), 1, a);
        byte[] b = new byte[32];
        b[0] = 1;
        encode("s", "t", null, utf8("1"), 1, b);
        assertFalse(Arrays.equals(a, b), "same frame after different histories must hash differently");
        byte[] c = new byte[32];
        encode("s", "t", null, utf8("2"), 1, c);
        assertFalse(Arrays.equals(a, c), "different data must hash differently");
    }

    @Test
    void everyFlippedByteIsDetected() {
        ByteBuffer buf = encode("orders/1", "Placed", utf8("{\"m\":1}"), utf8("{\"total\":12.5}"), 5, new byte[32]);
        int length = buf.position();
        for (int i = 0; i < length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                buf.put(i, (byte) (buf.get(i) ^ (1 << bit)));
                assertNotEquals(FrameStatus.VALID, codec.check(buf, 0, length), "flip of bit " + bit + " at byte " + i + " went unnoticed");
                buf.put(i, (byte) (buf.get(i) ^ (1 << bit)));
            }
        }
        assertEquals(FrameStatus.VALID, codec.check(buf, 0, length));
    }

    @Test
    void zerosReadAsEndOfDataAndShortBytesAsTruncated() {
        ByteBuffer zeros = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(FrameStatus.END_OF_DATA, codec.check(zeros, 0, 256));
        ByteBuffer buf = encode("s", "t", null, utf8("1"), 1, new byte[32]);
        assertEquals(FrameStatus.TRUNCATED, codec.check(buf, 0, buf.position() - 1));
    }

    @Test
    void hugeLengthFieldIsRefusedWithoutAllocating() {
        ByteBuffer buf = encode("s", "t", null, utf8("1"), 1, new byte[32]);
        buf.putInt(FrameLayout.LENGTH_OFFSET, Integer.MAX_VALUE);
        assertEquals(FrameStatus.BAD_LENGTH, codec.check(buf, 0, buf.position()));
        buf.putInt(FrameLayout.LENGTH_OFFSET, -5);
        assertEquals(FrameStatus.BAD_LENGTH, codec.check(buf, 0, buf.position()));
    }

    @Test
    void checkInSequenceRejectsWrongSeqAndBrokenChain() {
        byte[] prev = new byte[32];
        byte[] chain = prev.clone();
        ByteBuffer buf = encode("s", "t", null, utf8("1"), 9, chain);
        assertEquals(FrameStatus.VALID, codec.checkInSequence(buf, 0, buf.position(), 9, prev));
        assertEquals(FrameStatus.BAD_SEQ, codec.checkInSequence(buf, 0, buf.position(), 8, prev));
        byte[] otherPrev = new byte[32];
        otherPrev[31] = 1;
        assertEquals(FrameStatus.BAD_CHAIN, codec.checkInSequence(buf, 0, buf.position(), 9, otherPrev));
    }
}
