package dev.esctl.storage;

import static dev.esctl.storage.FrameLayout.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * Encodes events into frames and checks and decodes frames, as drawn in {@link FrameLayout}.
 * All access is absolute (by offset), so one buffer can be read by several threads; an instance
 * holds a reusable CRC and SHA-256 state and is therefore confined to one thread.
 */
public final class FrameCodec {
    /** Frames checked in this process: lets tests prove that an open did not read the log. */
    private static final java.util.concurrent.atomic.LongAdder FRAMES_CHECKED = new java.util.concurrent.atomic.LongAdder();

    private final CRC32C crc = new CRC32C();
    private final MessageDigest sha256;
    /** A reusable view of the last buffer checksummed: moving its bounds costs nothing, a slice per frame would allocate. */
    private ByteBuffer viewOf;
    private ByteBuffer view;

    public FrameCodec() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK provides no SHA-256", e);
        }
    }

    /**
     * Writes one frame at {@code dst.position()} and advances the position past it.
     *
     * @param chainHash in: the previous event's chain hash; out: this event's chain hash
     * @return the frame length in bytes
     */
    public int encode(ByteBuffer dst, long seq, long version, long timeMicros, long idMsb, long idLsb,
                      byte[] stream, byte[] type, byte[] meta, byte[] data, int flags, int groupTag,
                      byte[] chainHash) {
        assert dst.order() == ByteOrder.LITTLE_ENDIAN : "frames are little-endian";
        assert stream.length >= 1 && stream.length <= MAX_NAME_BYTES : "stream length " + stream.length;
        assert type.length >= 1 && type.length <= MAX_NAME_BYTES : "type length " + type.length;
        int metaLength = meta == null ? 0 : meta.length;
        int length = frameLength(stream.length, type.length, metaLength, data.length);
        assert length <= MAX_FRAME_BYTES : "frame length " + length;
        int at = dst.position();
        dst.putInt(at + MAGIC_OFFSET, MAGIC)
                .putInt(at + LENGTH_OFFSET, length)
                .put(at + FORMAT_VERSION_OFFSET, FORMAT_VERSION)
                .put(at + FLAGS_OFFSET, (byte) flags)
                .putShort(at + GROUP_TAG_OFFSET, (short) groupTag)
                .putShort(at + STREAM_LENGTH_OFFSET, (short) stream.length)
                .putShort(at + TYPE_LENGTH_OFFSET, (short) type.length)
                .putLong(at + SEQ_OFFSET, seq)
                .putLong(at + VERSION_OFFSET, version)
                .putLong(at + TIME_OFFSET, timeMicros)
                .putLong(at + ID_MSB_OFFSET, idMsb)
                .putLong(at + ID_LSB_OFFSET, idLsb)
                .putInt(at + META_LENGTH_OFFSET, metaLength)
                .putInt(at + DATA_LENGTH_OFFSET, data.length);
        int p = at + HEADER_BYTES;
        dst.put(p, stream);
        p += stream.length;
        dst.put(p, type);
        p += type.length;
        if (metaLength > 0) {
            dst.put(p, meta);
            p += metaLength;
        }
        dst.put(p, data);
        p += data.length;
        assert p == at + hashOffset(length) : "variable part ends at " + p;

        chainHash(dst, at, length, chainHash, chainHash);
        dst.put(p, chainHash);
        dst.putInt(at + crcOffset(length), crc(dst, at, crcOffset(length)));
        dst.putInt(at + trailerLengthOffset(length), length);
        dst.position(at + length);
        return length;
    }

    /**
     * Checks the structure and checksum of the frame at {@code offset}; the frame may use bytes
     * up to {@code limit}. Never allocates, whatever the length field says.
     */
    public FrameStatus check(ByteBuffer buf, int offset, int limit) {
        FRAMES_CHECKED.increment();
        int available = limit - offset;
        if (available < 8) {
            return isZero(buf, offset, limit) ? FrameStatus.END_OF_DATA : FrameStatus.TRUNCATED;
        }
        int magic = buf.getInt(offset + MAGIC_OFFSET);
        if (magic != MAGIC) {
            return magic == 0 && buf.getInt(offset + LENGTH_OFFSET) == 0 ? FrameStatus.END_OF_DATA : FrameStatus.BAD_MAGIC;
        }
        int length = buf.getInt(offset + LENGTH_OFFSET);
        if (length < MIN_FRAME_BYTES || length > MAX_FRAME_BYTES) return FrameStatus.BAD_LENGTH;
        if (length > available) return FrameStatus.TRUNCATED;
        int crcAt = offset + crcOffset(length);
        if (buf.getInt(crcAt) != crc(buf, offset, crcOffset(length))) return FrameStatus.BAD_CRC;
        if (buf.getInt(offset + trailerLengthOffset(length)) != length) return FrameStatus.BAD_TRAILER;
        if (buf.get(offset + FORMAT_VERSION_OFFSET) != FORMAT_VERSION
                || (buf.get(offset + FLAGS_OFFSET) & ~KNOWN_FLAGS) != 0) return FrameStatus.BAD_FORMAT;
        int streamLength = Short.toUnsignedInt(buf.getShort(offset + STREAM_LENGTH_OFFSET));
        int typeLength = Short.toUnsignedInt(buf.getShort(offset + TYPE_LENGTH_OFFSET));
        long metaLength = Integer.toUnsignedLong(buf.getInt(offset + META_LENGTH_OFFSET));
        long dataLength = Integer.toUnsignedLong(buf.getInt(offset + DATA_LENGTH_OFFSET));
        if (HEADER_BYTES + streamLength + typeLength + metaLength + dataLength + TRAILER_BYTES != length
                || streamLength == 0 || typeLength == 0) return FrameStatus.BAD_LENGTH;
        return FrameStatus.VALID;
    }

    /** Checks the frame and, beyond {@link #check}, that it carries {@code expectedSeq} and extends the chain. */
    public FrameStatus checkInSequence(ByteBuffer buf, int offset, int limit, long expectedSeq, byte[] prevHash) {
        FrameStatus status = check(buf, offset, limit);
        if (status != FrameStatus.VALID) return status;
        if (seq(buf, offset) != expectedSeq) return FrameStatus.BAD_SEQ;
        int length = length(buf, offset);
        byte[] computed = new byte[HASH_BYTES];
        chainHash(buf, offset, length, prevHash, computed);
        int hashAt = offset + hashOffset(length);
        for (int i = 0; i < HASH_BYTES; i++) {
            if (buf.get(hashAt + i) != computed[i]) return FrameStatus.BAD_CHAIN;
        }
        return FrameStatus.VALID;
    }

    public EventRecord decode(ByteBuffer buf, int offset) {
        int length = length(buf, offset);
        int streamLength = Short.toUnsignedInt(buf.getShort(offset + STREAM_LENGTH_OFFSET));
        int typeLength = Short.toUnsignedInt(buf.getShort(offset + TYPE_LENGTH_OFFSET));
        int metaLength = buf.getInt(offset + META_LENGTH_OFFSET);
        int dataLength = buf.getInt(offset + DATA_LENGTH_OFFSET);
        int p = offset + HEADER_BYTES;
        String stream = string(buf, p, streamLength);
        p += streamLength;
        String type = string(buf, p, typeLength);
        p += typeLength;
        byte[] meta = null;
        if (metaLength > 0) {
            meta = new byte[metaLength];
            buf.get(p, meta);
            p += metaLength;
        }
        byte[] data = new byte[dataLength];
        buf.get(p, data);
        byte[] hash = new byte[HASH_BYTES];
        buf.get(offset + hashOffset(length), hash);
        return new EventRecord(
                seq(buf, offset), stream, buf.getLong(offset + VERSION_OFFSET), type,
                new UUID(buf.getLong(offset + ID_MSB_OFFSET), buf.getLong(offset + ID_LSB_OFFSET)),
                buf.getLong(offset + TIME_OFFSET), data, meta, hash, flags(buf, offset));
    }

    /** Frames checked (CRC and all) by every codec in this process so far. */
    public static long framesChecked() {
        return FRAMES_CHECKED.sum();
    }

    public static int length(ByteBuffer buf, int offset) {
        return buf.getInt(offset + LENGTH_OFFSET);
    }

    public static long seq(ByteBuffer buf, int offset) {
        return buf.getLong(offset + SEQ_OFFSET);
    }

    public static int flags(ByteBuffer buf, int offset) {
        return Byte.toUnsignedInt(buf.get(offset + FLAGS_OFFSET));
    }

    public static int groupTag(ByteBuffer buf, int offset) {
        return Short.toUnsignedInt(buf.getShort(offset + GROUP_TAG_OFFSET));
    }

    public static long timeMicros(ByteBuffer buf, int offset) {
        return buf.getLong(offset + TIME_OFFSET);
    }

    public static long version(ByteBuffer buf, int offset) {
        return buf.getLong(offset + VERSION_OFFSET);
    }

    /** The stream name's UTF-8 bytes, copied out of the frame. */
    public static byte[] streamBytes(ByteBuffer buf, int offset) {
        byte[] out = new byte[Short.toUnsignedInt(buf.getShort(offset + STREAM_LENGTH_OFFSET))];
        buf.get(offset + HEADER_BYTES, out);
        return out;
    }

    public static void chainHashOf(ByteBuffer buf, int offset, byte[] out) {
        buf.get(offset + hashOffset(length(buf, offset)), out);
    }

    /** True when the frame's stream name equals {@code stream} (UTF-8), without decoding it. */
    public static boolean streamEquals(ByteBuffer buf, int offset, byte[] stream) {
        int streamLength = Short.toUnsignedInt(buf.getShort(offset + STREAM_LENGTH_OFFSET));
        if (streamLength != stream.length) return false;
        int at = offset + HEADER_BYTES;
        for (int i = 0; i < streamLength; i++) if (buf.get(at + i) != stream[i]) return false;
        return true;
    }

    private void chainHash(ByteBuffer buf, int offset, int frameLength, byte[] prevHash, byte[] out) {
        sha256.update(prevHash, 0, HASH_BYTES);
        sha256.update(view(buf, offset, hashOffset(frameLength)));
        try {
            sha256.digest(out, 0, HASH_BYTES);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 digest into a 32-byte array failed", e);
        }
    }

    private int crc(ByteBuffer buf, int offset, int length) {
        crc.reset();
        crc.update(view(buf, offset, length));
        return (int) crc.getValue();
    }

    private ByteBuffer view(ByteBuffer buf, int offset, int length) {
        if (viewOf != buf) {
            view = buf.duplicate();
            viewOf = buf;
        }
        return view.limit(offset + length).position(offset);
    }

    private static boolean isZero(ByteBuffer buf, int from, int to) {
        for (int i = from; i < to; i++) if (buf.get(i) != 0) return false;
        return true;
    }

    private static String string(ByteBuffer buf, int offset, int length) {
        byte[] bytes = new byte[length];
        buf.get(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
