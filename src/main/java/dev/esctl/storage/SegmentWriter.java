package dev.esctl.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The active segment file as the writer sees it: positional writes at the end, force, seal.
 * Owned by the writer, one thread at a time. Any IOException leaves the file in an unknown state; the
 * caller must stop writing (fail-stop) and let recovery decide on the next open.
 */
public final class SegmentWriter implements AutoCloseable {
    private final Path path;
    private final long firstSeq;
    private final FileChannel channel;
    private long position;

    private SegmentWriter(Path path, long firstSeq, FileChannel channel, long position) {
        this.path = path;
        this.firstSeq = firstSeq;
        this.channel = channel;
        this.position = position;
    }

    /**
     * Creates a new segment file with its header, forces it and then its directory entry, so
     * that no event written to it can be acknowledged before the file itself is durable.
     */
    public static SegmentWriter create(Path file, SegmentHeader header) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            ByteBuffer h = header.encode();
            while (h.hasRemaining()) ch.write(h, h.position());
            ch.force(true);
            Fsync.directory(file.getParent());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new SegmentWriter(file, header.firstSeq(), ch, SegmentLayout.HEADER_BYTES);
    }

    /**
     * Takes over a pre-allocated file (zeros, already forced, already renamed to the segment's
     * name): writes the header, forces it and the directory entry. Frames then overwrite zeros.
     */
    public static SegmentWriter overPreallocated(Path file, SegmentHeader header) throws IOException {
        Fsync.directory(file.getParent());
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            ByteBuffer h = header.encode();
            while (h.hasRemaining()) ch.write(h, h.position());
            ch.force(false);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new SegmentWriter(file, header.firstSeq(), ch, SegmentLayout.HEADER_BYTES);
    }

    /** Reopens a recovered active segment to append at {@code position} (recovery cut anything beyond). */
    public static SegmentWriter reopen(Path file, long firstSeq, long position) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new SegmentWriter(file, firstSeq, ch, position);
    }

    /** Writes all of {@code src} at the end of the segment. */
    public void write(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            position += channel.write(src, position);
        }
    }

    /** fdatasync: the data written so far (and the file size it needs) is on disk when this returns. */
    public void force() throws IOException {
        channel.force(false);
    }

    /**
     * Forces the frames, then writes the footer after the last frame, cuts anything beyond it,
     * and forces data and metadata. The first force matters: recovery trusts a valid footer
     * without reading the frames before it, and a disk writes unforced sectors in any order, so
     * the footer must never be able to reach the disk before the frames it vouches for.
     */
    public void seal(SegmentFooter footer) throws IOException {
        assert footer.firstSeq() == firstSeq : "footer for " + footer.firstSeq() + " on segment " + firstSeq;
        channel.force(false);
        ByteBuffer f = footer.encode();
        long end = position;
        while (f.hasRemaining()) end += channel.write(f, end);
        channel.truncate(end);
        channel.force(true);
    }

    public long position() { return position; }
    public long firstSeq() { return firstSeq; }
    public Path path() { return path; }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
