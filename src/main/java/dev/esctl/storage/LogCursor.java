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
    private int windowBytes = ReadWindow.SEQUENTIAL_BYTES;
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
        this.window = head.segments().isEmpty() ? null : newWindow(segmentIndex);
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
        if (head.segments().isEmpty()) return new LogCursor(head, 0, SegmentLayout.HEADER_BYTES, 1);
        LogCursor cursor = new LogCursor(head, head.segmentIndexOf(Math.max(1, fromSeq)), SegmentLayout.HEADER_BYTES, 0);
        cursor.nextSeq = cursor.segment().firstSeq();
        cursor.seek(fromSeq, hint);
        return cursor;
    }

    /**
     * Repositions so that the next {@link #next()} returns {@code seq} (when it is committed).
     * Walks forward from where the cursor is when that is on the way, else from {@code hint}
     * (a known frame position at or before {@code seq}, e.g. from the seq index) or from the
     * start of the segment. Skipped frames are only hopped over (magic and length); the frame
     * returned is fully checked.
     */
    public void seek(long seq, FramePosition hint) {
        long target = Math.max(1, seq);
        int index = head.segmentIndexOf(target);
        boolean onTheWay = index == segmentIndex && nextSeq <= target && (hint == null || hint.seq() <= nextSeq);
        if (!onTheWay) {
            if (index != segmentIndex) window = newWindow(index);
            segmentIndex = index;
            if (hint != null && hint.segmentFirstSeq() == segment().firstSeq() && hint.seq() <= target) {
                offset = hint.offset();
                nextSeq = hint.seq();
            } else {
                offset = SegmentLayout.HEADER_BYTES;
                nextSeq = segment().firstSeq();
            }
        }
        while (nextSeq < target && hasMore()) {
            step(false);
        }
    }

    /**
     * A cursor for reading single events by seq (stream reads through an index): it reads
     * little more than one frame per jump instead of large sequential windows.
     */
    public static LogCursor forLookups(LogHead head, long seq, FramePosition hint) {
        LogCursor c = from(head, seq, hint);
        c.windowBytes = ReadWindow.LOOKUP_BYTES;
        if (c.window != null) c.window = c.newWindow(c.segmentIndex);
        return c;
    }

    private ReadWindow newWindow(int index) {
        return new ReadWindow(head.segments().get(index).bytes(), windowBytes);
    }

    private Segment segment() {
        return head.segments().get(segmentIndex);
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
        if (nextSeq > head.seq() || window == null) return false;
        while (offset >= head.dataEnd(segmentIndex)) {
            if (segmentIndex + 1 >= head.segments().size()) return false;
            segmentIndex++;
            offset = SegmentLayout.HEADER_BYTES;
            window = newWindow(segmentIndex);
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
            FrameStatus status = expose ? codec.check(buf, at, window.end()) : hop(buf, at, length);
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

    /** A frame being skipped is only checked for magic and a sane length: its CRC is checked if it is ever returned. */
    private FrameStatus hop(ByteBuffer buf, int at, int length) {
        if (window.end() - at < FrameLayout.MIN_FRAME_BYTES || buf.getInt(at) != FrameLayout.MAGIC) return FrameStatus.BAD_MAGIC;
        if (length < FrameLayout.MIN_FRAME_BYTES || length > window.end() - at) return FrameStatus.BAD_LENGTH;
        return FrameStatus.VALID;
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
        return new FramePosition(seq(), segment().firstSeq(), frameOffset);
    }

    /** Byte offset of the current frame in its segment. */
    public long frameOffset() {
        return frameOffset;
    }

    /** The segment of the current frame. */
    public Segment frameSegment() {
        return segment();
    }

    public EventRecord record() {
        return codec.decode(frameBuffer, frameIndex);
    }

    /** Lets go of read buffers while idle (a watcher waiting for new events). */
    public void releaseBuffers() {
        if (window != null) window.release();
        frameBuffer = null;
    }

    @Override
    public void close() {
        releaseBuffers();
    }
}
