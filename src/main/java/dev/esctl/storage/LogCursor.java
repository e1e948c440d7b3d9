package dev.esctl.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Walks committed frames in seq order, from a starting seq up to the commit position of the
 * {@link LogHead} it was given; {@link #advanceTo} lets it continue as the log grows (watch).
 * Every frame is checked (magic, lengths, CRC, seq) before it is exposed; damage is reported
 * as a {@link StoreException} with code CORRUPT naming the segment and offset. Not
 * thread-safe: one per reader.
 */
public final class LogCursor implements AutoCloseable {
    private final FrameCodec codec = new FrameCodec();
    private LogHead head;
    private int segmentIndex;
    private ReadWindow window;
    private long offset;
    private long nextSeq;
    private ByteBuffer frameBuffer;
    private int frameIndex;
    private long frameOffset;

    private LogCursor(LogHead head, int segmentIndex, long offset, long nextSeq) {
        this.head = head;
        this.segmentIndex = segmentIndex;
        this.offset = offset;
        this.nextSeq = nextSeq;
        this.window = new ReadWindow(head.segments().get(segmentIndex).bytes());
    }

    /** A cursor whose first {@link #next()} returns {@code fromSeq} (or the first later one). */
    public static LogCursor from(LogHead head, long fromSeq) {
        return from(head, fromSeq, null);
    }

    /**
     * As {@link #from(LogHead, long)}, starting the walk at a known frame position at or before
     * {@code fromSeq} (from a seq index) instead of at the start of the segment.
     */
    public static LogCursor from(LogHead head, long fromSeq, FramePosition hint) {
        long target = Math.max(1, fromSeq);
        LogCursor cursor;
        if (hint != null && hint.seq() <= target) {
            int index = head.segmentIndexOf(hint.seq());
            cursor = new LogCursor(head, index, hint.offset(), hint.seq());
        } else {
            int index = head.segmentIndexOf(target);
            cursor = new LogCursor(head, index, SegmentLayout.HEADER_BYTES, head.segments().get(index).firstSeq());
        }
        cursor.skipTo(target);
        return cursor;
    }

    private void skipTo(long target) {
        while (nextSeq < target && hasMore()) {
            step(false);
        }
    }

    /** Continues with a newer head: events committed since become readable. */
    public void advanceTo(LogHead newer) {
        assert newer.seq() >= head.seq() : "head went back from " + head.seq() + " to " + newer.seq();
        this.head = newer;
    }

    /** The seq the next call to {@link #next()} will return, if it is committed. */
    public long nextSeq() {
        return nextSeq;
    }

    public LogHead head() {
        return head;
    }

    /** Moves to the next committed frame; false when the cursor has reached the commit position. */
    public boolean next() {
        if (!hasMore()) return false;
        step(true);
        return true;
    }

    private boolean hasMore() {
        if (nextSeq > head.seq()) return false;
        while (offset >= head.dataEnd(segmentIndex)) {
            if (segmentIndex + 1 >= head.segments().size()) return false;
            segmentIndex++;
            offset = SegmentLayout.HEADER_BYTES;
            window = new ReadWindow(head.segments().get(segmentIndex).bytes());
        }
        return true;
    }

    private void step(boolean expose) {
        long end = head.dataEnd(segmentIndex);
        try {
            int at = window.locate(offset, 8, end);
            ByteBuffer buf = window.buffer();
            int length = window.end() - at >= 8 ? FrameCodec.length(buf, at) : 0;
            if (length > 0 && length <= FrameLayout.MAX_FRAME_BYTES) {
                at = window.locate(offset, length, end);
                buf = window.buffer();
            }
            FrameStatus status = codec.check(buf, at, window.end());
            if (status != FrameStatus.VALID || FrameCodec.seq(buf, at) != nextSeq) {
                throw new StoreException(StoreException.Code.CORRUPT, "segment " + head.segments().get(segmentIndex)
                        + " offset " + offset + " (seq " + nextSeq + "): "
                        + (status != FrameStatus.VALID ? status.description() : "holds seq " + FrameCodec.seq(buf, at))
                        + "; run 'esctl fsck'");
            }
            if (expose) {
                frameBuffer = buf;
                frameIndex = at;
                frameOffset = offset;
            }
            offset += FrameCodec.length(buf, at);
            nextSeq++;
        } catch (IOException e) {
            throw new UncheckedIOException("reading segment " + head.segments().get(segmentIndex), e);
        }
    }

    /** The current frame's buffer; valid until the next call to {@link #next()}. */
    public ByteBuffer frameBuffer() {
        return frameBuffer;
    }

    /** Index of the current frame in {@link #frameBuffer()}. */
    public int frameIndex() {
        return frameIndex;
    }

    public long seq() {
        return FrameCodec.seq(frameBuffer, frameIndex);
    }

    /** Where the current frame lies on disk. */
    public FramePosition position() {
        return new FramePosition(seq(), head.segments().get(segmentIndex).firstSeq(), frameOffset);
    }

    public EventRecord record() {
        return codec.decode(frameBuffer, frameIndex);
    }

    /** Lets go of read buffers while idle (a watcher waiting for new events). */
    public void releaseBuffers() {
        window.release();
        frameBuffer = null;
    }

    @Override
    public void close() {
        releaseBuffers();
    }
}
