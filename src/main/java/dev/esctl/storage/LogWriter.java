package dev.esctl.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write side of the log: encodes frames into one reusable direct buffer, writes them to
 * the active segment, forces, and rolls to a new segment at the size threshold (sealing the
 * old one). Confined to the writer (one thread at a time: see GroupCommitter). Encoding extends the chain hash immediately, so
 * callers validate a batch completely before they append its first frame.
 *
 * <p>After any IOException the file state is unknown: the caller must stop using this object
 * (fail-stop). Nothing it has written becomes visible to readers until the caller publishes a
 * new {@link LogHead}, which it does only after the group's write (and force) succeeded.
 */
public final class LogWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogWriter.class);

    private final DataDirectory dir;
    private final long segmentSizeBytes;
    private final FrameCodec codec = new FrameCodec();
    private final DurableCheckpoint checkpoint;
    private final byte[] chainHash;
    private ByteBuffer buffer;
    private SegmentPreallocator preallocator;
    /** Whether the active segment's file was pre-allocated (else it grows as it is written). */
    private boolean activePreallocated;
    private List<Segment> segments;
    private SegmentWriter active;
    private long lastSeq;
    private int groupTag;

    private LogWriter(DataDirectory dir, RecoveredLog recovered, long segmentSizeBytes, int bufferBytes, DurableCheckpoint checkpoint) {
        this.dir = dir;
        this.segmentSizeBytes = segmentSizeBytes;
        this.checkpoint = checkpoint;
        this.chainHash = recovered.headHash().clone();
        this.lastSeq = recovered.headSeq();
        this.groupTag = recovered.nextGroupTag();
        this.segments = List.copyOf(recovered.segments());
        this.buffer = ByteBuffer.allocateDirect(bufferBytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Takes over a recovered log for writing, starting a new segment when the last one is sealed. */
    public static LogWriter open(DataDirectory dir, RecoveredLog recovered, long segmentSizeBytes, int bufferBytes) throws IOException {
        return open(dir, recovered, segmentSizeBytes, bufferBytes, false);
    }

    /**
     * @param preallocate keep the next segment's file written and forced ahead of time (see
     *                    {@link SegmentPreallocator} and {@link #rollIfFull})
     */
    public static LogWriter open(DataDirectory dir, RecoveredLog recovered, long segmentSizeBytes, int bufferBytes, boolean preallocate) throws IOException {
        DurableCheckpoint checkpoint = DurableCheckpoint.open(dir.checkpointFile());
        LogWriter writer = new LogWriter(dir, recovered, segmentSizeBytes, bufferBytes, checkpoint);
        try {
            // No waiting for the first spare: until it is ready the segment grows as it is
            // written, and rollIfFull moves to the spare early.
            if (preallocate) writer.preallocator = new SegmentPreallocator(dir, segmentSizeBytes);
            if (recovered.lastSegmentSealed()) {
                writer.startSegment();
            } else {
                Segment last = recovered.segments().get(recovered.segments().size() - 1);
                writer.active = SegmentWriter.reopen(last.path(), last.firstSeq(), recovered.activeEnd());
                writer.activePreallocated = Files.size(last.path()) >= segmentSizeBytes;
            }
            // From now on the tail may change: the next open must not trust a clean-shutdown mark.
            // (Recovery has forced what it recovered, so the checkpoint claims nothing the disk lacks.)
            checkpoint.write(writer.lastSeq, writer.active.firstSeq(), writer.active.position(), false);
        } catch (IOException | RuntimeException e) {
            if (writer.preallocator != null) writer.preallocator.close();
            checkpoint.close();
            throw e;
        }
        return writer;
    }

    /**
     * Seals the active segment and starts a new one when {@code groupBytes} more would take a
     * non-empty active segment past the size threshold. Called between groups only, so a group
     * (and a batch) never spans two segments; a group larger than a segment gets one of its own.
     * With pre-allocation it also rolls early, to a spare that became ready while a segment that
     * grows as it is written (a new store's first, or one written without pre-allocation) is
     * still less than half full: every later fsync is then cheaper.
     *
     * @return the segment just sealed, or null when no roll was needed
     */
    public Segment rollIfFull(long groupBytes) throws IOException {
        assert buffer.position() == 0 : "roll with " + buffer.position() + " unflushed bytes";
        long end = active.position() + groupBytes + SegmentLayout.FOOTER_BYTES;
        boolean full = end > segmentSizeBytes;
        boolean toSpare = preallocator != null && !activePreallocated && active.position() < segmentSizeBytes / 2 && preallocator.ready();
        if (!(full || toSpare) || lastSeq < active.firstSeq()) return null;
        Segment sealed = segments.get(segments.size() - 1);
        roll();
        return sealed;
    }

    /**
     * Encodes one frame into the buffer (writing the buffer out first when it is full).
     *
     * @return the byte offset of the frame in the active segment
     */
    public long append(long seq, long version, long timeMicros, long idMsb, long idLsb,
                       byte[] stream, byte[] type, byte[] meta, byte[] data, int flags) throws IOException {
        assert seq == lastSeq + 1 : "seq " + seq + " after " + lastSeq;
        int length = FrameLayout.frameLength(stream.length, type.length, meta == null ? 0 : meta.length, data.length);
        if (buffer.remaining() < length) {
            flush();
            if (buffer.capacity() < length) {
                buffer = ByteBuffer.allocateDirect(length).order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        long offset = active.position() + buffer.position();
        codec.encode(buffer, seq, version, timeMicros, idMsb, idLsb, stream, type, meta, data, flags, groupTag, chainHash);
        lastSeq = seq;
        return offset;
    }

    /** Writes the buffered frames to the active segment (not forced). */
    public void flush() throws IOException {
        if (buffer.position() == 0) return;
        buffer.flip();
        active.write(buffer);
        buffer.clear();
    }

    /** Forces the active segment: every frame flushed so far is durable when this returns. */
    public void force() throws IOException {
        active.force();
    }

    /** Ends the current write group: later frames carry the next group tag. */
    public void endGroup() {
        groupTag = (groupTag + 1) & 0xFFFF;
    }

    /** Records that everything flushed so far is durable. Call only right after {@link #force()}. */
    public void checkpoint() throws IOException {
        assert buffer.position() == 0 : "checkpoint with " + buffer.position() + " unflushed bytes";
        checkpoint.write(lastSeq, active.firstSeq(), active.position(), false);
    }

    /** The head to publish once the group's frames are flushed (and forced, as the policy wants). */
    public LogHead head(long timeMicros) {
        assert buffer.position() == 0 : "head with " + buffer.position() + " unflushed bytes";
        return new LogHead(lastSeq, chainHash.clone(), timeMicros, segments, active.position());
    }

    public long lastSeq() {
        return lastSeq;
    }

    public long activeSegmentFirstSeq() {
        return active.firstSeq();
    }

    public int segmentCount() {
        return segments.size();
    }

    private void roll() throws IOException {
        flush();
        Segment sealing = segments.get(segments.size() - 1);
        long dataEnd = active.position();
        active.seal(new SegmentFooter(active.firstSeq(), lastSeq, chainHash.clone()));
        active.close();
        sealing.markSealed(lastSeq, chainHash.clone(), dataEnd);
        log.info("event=segment_sealed segment={} last_seq={} bytes={}", sealing, lastSeq, dataEnd + SegmentLayout.FOOTER_BYTES);
        startSegment();
        checkpoint.write(lastSeq, active.firstSeq(), active.position(), false);
    }

    private void startSegment() throws IOException {
        long firstSeq = lastSeq + 1;
        Path file = dir.segmentFile(firstSeq);
        activePreallocated = preallocator != null && preallocator.takeAs(file);
        active = activePreallocated
                ? SegmentWriter.overPreallocated(file, new SegmentHeader(firstSeq, chainHash.clone()))
                : SegmentWriter.create(file, new SegmentHeader(firstSeq, chainHash.clone()));
        List<Segment> next = new ArrayList<>(segments);
        next.add(Segment.active(active.path(), firstSeq));
        segments = Collections.unmodifiableList(next);
        log.debug("event=segment_created segment={}", active.path().getFileName());
    }

    /**
     * Marks a clean shutdown: everything is flushed and forced, and the checkpoint says so, so
     * the next open can trust the tail without scanning the active segment. Call only when the
     * writer has not failed.
     */
    public void closeCleanly() throws IOException {
        flush();
        active.force();
        checkpoint.write(lastSeq, active.firstSeq(), active.position(), true);
        close();
    }

    /** Closes the active segment without sealing it (it stays active for the next open). */
    @Override
    public void close() throws IOException {
        try {
            if (preallocator != null) preallocator.close();
            active.close();
        } finally {
            checkpoint.close();
        }
    }
}
