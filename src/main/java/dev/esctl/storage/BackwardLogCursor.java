package dev.esctl.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Walks committed frames from a seq down to seq 1, using the length every frame repeats at its
 * end. Each frame is checked (magic, lengths, CRC, seq) before it is exposed. Not thread-safe.
 */
public final class BackwardLogCursor implements AutoCloseable {
    private final FrameCodec codec = new FrameCodec();
    private final LogHead head;
    private int segmentIndex;
    private ReadWindow window;
    /** End offset of the next frame to return (it lies just before this offset). */
    private long end;
    private long nextSeq;
    private ByteBuffer frameBuffer;
    private int frameIndex;

    /** A cursor whose first {@link #next()} returns {@code fromSeq} (clipped to the head). */
    public BackwardLogCursor(LogHead head, long fromSeq, FramePosition hint) {
        this.head = head;
        this.nextSeq = Math.min(fromSeq, head.seq());
        if (nextSeq < 1) return;
        // Find where frame nextSeq ends: step forward onto it, then start from its end.
        try (LogCursor forward = LogCursor.from(head, nextSeq, hint)) {
            if (!forward.next()) {
                nextSeq = 0;
                return;
            }
            segmentIndex = head.segmentIndexOf(nextSeq);
            end = forward.frameOffset() + FrameCodec.length(forward.frameBuffer(), forward.frameIndex());
        }
        window = new ReadWindow(head.segments().get(segmentIndex).bytes());
    }

    /** Moves to the previous frame (the first call: the starting one); false after seq 1. */
    public boolean next() {
        if (nextSeq < 1) return false;
        while (end <= SegmentLayout.HEADER_BYTES) {
            segmentIndex--;
            assert segmentIndex >= 0 : "walked back past the first segment at seq " + nextSeq;
            end = head.dataEnd(segmentIndex);
            window = new ReadWindow(head.segments().get(segmentIndex).bytes());
        }
        Segment segment = head.segments().get(segmentIndex);
        try {
            int at = window.locateBackward(end - 4, 4, end);
            int length = window.buffer().getInt(at);
            long start = end - length;
            if (length < FrameLayout.MIN_FRAME_BYTES || length > FrameLayout.MAX_FRAME_BYTES || start < SegmentLayout.HEADER_BYTES) {
                throw corrupt(segment, end, "impossible trailing length " + length);
            }
            at = window.locateBackward(start, length, end);
            ByteBuffer buf = window.buffer();
            FrameStatus status = codec.check(buf, at, at + length);
            if (status != FrameStatus.VALID) throw corrupt(segment, start, status.description());
            if (FrameCodec.seq(buf, at) != nextSeq) throw corrupt(segment, start, "holds seq " + FrameCodec.seq(buf, at));
            frameBuffer = buf;
            frameIndex = at;
            end = start;
            nextSeq--;
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("reading segment " + segment, e);
        }
    }

    private StoreException corrupt(Segment segment, long offset, String what) {
        return new StoreException(StoreException.Code.CORRUPT, "segment " + segment + " offset " + offset + " (seq " + nextSeq + "): " + what + "; run 'esctl fsck'");
    }

    public ByteBuffer frameBuffer() { return frameBuffer; }
    public int frameIndex() { return frameIndex; }

    public EventRecord record() {
        return codec.decode(frameBuffer, frameIndex);
    }

    @Override
    public void close() {
        if (window != null) window.release();
    }
}
