package dev.esctl.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Follows a log that another process writes (offline {@code esctl watch --data}): from a head,
 * finds what was committed since — new whole batches in the active segment, its seal, the
 * segments after it — checking every new frame (CRC, seq, hash chain) and never touching a
 * file. Not thread-safe; takes no lock.
 */
public final class LogFollower {
    private final DataDirectory dir;
    private final FrameCodec codec = new FrameCodec();
    private LogHead head;

    public LogFollower(DataDirectory dir, LogHead head) {
        this.dir = dir;
        this.head = head;
    }

    /** The head as of the last {@link #poll()}. */
    public LogHead head() {
        return head;
    }

    /** Looks for newly committed events; returns the (possibly unchanged) head. */
    public LogHead poll() throws IOException {
        if (head.segments().isEmpty()) {
            Path first = dir.segmentFile(1);
            if (!Files.exists(first) || Files.size(first) < SegmentLayout.HEADER_BYTES) return head;
            head = new LogHead(0, head.chainHash(), head.timeMicros(), List.of(Segment.active(first, 1)), SegmentLayout.HEADER_BYTES);
        }
        while (true) {
            Segment last = head.lastSegment();
            if (!last.isSealed()) head = scanFrom(last);
            long sealedLast = last.isSealed() ? last.sealedLastSeq() : sealedFooter(last);
            if (sealedLast < 0) return head;
            // The active segment was sealed: its successor begins right after it.
            Path next = dir.segmentFile(sealedLast + 1);
            if (!Files.exists(next) || Files.size(next) < SegmentLayout.HEADER_BYTES) return head;
            SegmentHeader h = readHeader(next);
            if (h == null || h.firstSeq() != sealedLast + 1 || !Arrays.equals(h.prevChainHash(), head.chainHash())) return head;
            if (!last.isSealed()) last.markSealed(sealedLast, head.chainHash().clone(), head.activeEnd());
            List<Segment> segments = new ArrayList<>(head.segments());
            segments.add(Segment.active(next, sealedLast + 1));
            head = new LogHead(head.seq(), head.chainHash(), head.timeMicros(), List.copyOf(segments), SegmentLayout.HEADER_BYTES);
        }
    }

    /** Committed frames after the head's end in the active segment: the head up to the last whole batch. */
    private LogHead scanFrom(Segment segment) throws IOException {
        long size = Files.size(segment.path());
        long offset = head.activeEnd();
        long seq = head.seq() + 1;
        byte[] hash = head.chainHash().clone();
        long commitEnd = offset, commitSeq = head.seq(), commitTime = head.timeMicros();
        byte[] commitHash = hash.clone();
        try (ChannelSegmentBytes bytes = new ChannelSegmentBytes(segment.path())) {
            ReadWindow window = new ReadWindow(bytes);
            while (offset + 8 <= size) {
                int at = window.locate(offset, 8, size);
                if (window.end() - at < 8) break;
                int length = FrameCodec.length(window.buffer(), at);
                if (length < FrameLayout.MIN_FRAME_BYTES || length > FrameLayout.MAX_FRAME_BYTES) break;
                at = window.locate(offset, length, size);
                ByteBuffer buf = window.buffer();
                if (codec.checkInSequence(buf, at, window.end(), seq, hash) != FrameStatus.VALID) break;
                FrameCodec.chainHashOf(buf, at, hash);
                offset += length;
                if ((FrameCodec.flags(buf, at) & FrameLayout.FLAG_COMMIT) != 0) {
                    commitEnd = offset;
                    commitSeq = seq;
                    commitHash = hash.clone();
                    commitTime = FrameCodec.timeMicros(buf, at);
                }
                seq++;
            }
        }
        if (commitSeq == head.seq()) return head;
        return new LogHead(commitSeq, commitHash, commitTime, head.segments(), commitEnd);
    }

    /** The last seq of a segment whose footer has appeared right at the head's end, or -1. */
    private long sealedFooter(Segment segment) throws IOException {
        long end = head.activeEnd();
        if (Files.size(segment.path()) != end + SegmentLayout.FOOTER_BYTES) return -1;
        ByteBuffer f = ByteBuffer.allocate(SegmentLayout.FOOTER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (ChannelSegmentBytes bytes = new ChannelSegmentBytes(segment.path())) {
            bytes.read(end, f);
        }
        SegmentFooter footer = SegmentFooter.decode(f.flip());
        if (footer == null || footer.lastSeq() != head.seq() || !Arrays.equals(footer.lastChainHash(), head.chainHash())) return -1;
        return footer.lastSeq();
    }

    private static SegmentHeader readHeader(Path file) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(SegmentLayout.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (ChannelSegmentBytes bytes = new ChannelSegmentBytes(file)) {
            bytes.read(0, h);
        }
        return SegmentHeader.decode(h.flip());
    }
}
