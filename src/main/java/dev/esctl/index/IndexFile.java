package dev.esctl.index;

import dev.esctl.storage.Fsync;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writing and reading index files. A file is written to {@code NAME.tmp}, forced, renamed over
 * {@code NAME} atomically and its directory forced, so a crash leaves either the old file, the
 * new one, or a stray temp file (ignored and removed) — never a half-written index. Reading
 * checks the header, the length and the body CRC before anything in the file is used.
 */
public final class IndexFile {
    private IndexFile() {}

    public static final String TEMP_SUFFIX = ".tmp";

    /** Writes the body through {@code body}, then the header, and publishes the file atomically. */
    public static void write(Path target, HeaderFields fields, BodyWriter body) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            Sink sink = new Sink(ch, IndexFileHeader.BYTES);
            body.write(sink);
            sink.flush();
            IndexFileHeader header = new IndexFileHeader(fields.magic(), fields.firstSeq(), fields.lastSeq(), sink.count,
                    fields.extra(), sink.position - IndexFileHeader.BYTES, (int) sink.crc.getValue(), fields.chainHash());
            ByteBuffer h = header.encode();
            while (h.hasRemaining()) ch.write(h, h.position());
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Fsync.directory(target.getParent());
    }

    /** What the writer knows before the body is written; count, body length and CRC come from the body. */
    public record HeaderFields(long magic, long firstSeq, long lastSeq, long extra, byte[] chainHash) {}

    @FunctionalInterface
    public interface BodyWriter {
        void write(Sink sink) throws IOException;
    }

    /** Buffered, checksummed output of a body; counts entries as the writer declares them. */
    public static final class Sink {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        private long position;
        private long count;

        Sink(FileChannel channel, long start) {
            this.channel = channel;
            this.position = start;
        }

        public Sink putLong(long v) throws IOException {
            room(8);
            buffer.putLong(v);
            return this;
        }

        public Sink putInt(int v) throws IOException {
            room(4);
            buffer.putInt(v);
            return this;
        }

        public Sink put(byte[] b, int offset, int length) throws IOException {
            if (length > buffer.capacity()) {
                flush();
                for (int at = offset; at < offset + length; at += buffer.capacity()) put(b, at, Math.min(buffer.capacity(), offset + length - at));
                return this;
            }
            room(length);
            buffer.put(b, offset, length);
            return this;
        }

        public Sink putShort(int v) throws IOException {
            room(2);
            buffer.putShort((short) v);
            return this;
        }

        public Sink put(byte[] b) throws IOException {
            room(b.length);
            buffer.put(b);
            return this;
        }

        /** Marks the end of one entry (the header's count). */
        public void entry() {
            count++;
        }

        private void room(int n) throws IOException {
            if (buffer.remaining() < n) flush();
        }

        void flush() throws IOException {
            buffer.flip();
            crc.update(buffer.duplicate());
            while (buffer.hasRemaining()) position += channel.write(buffer, position);
            buffer.clear();
        }
    }

    /** A verified index file: its header and its body as a little-endian buffer (mapped where possible). */
    public record Loaded(IndexFileHeader header, ByteBuffer body) {}

    /** Reads and verifies a file of the given kind; throws CorruptIndexException saying what is wrong. */
    public static Loaded read(Path file, long magic) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < IndexFileHeader.BYTES) throw new CorruptIndexException(file.getFileName() + ": shorter than its header (" + size + " bytes)");
            if (size > Integer.MAX_VALUE) throw new CorruptIndexException(file.getFileName() + ": larger than 2 GiB");
            ByteBuffer all;
            try {
                all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            } catch (UnsupportedOperationException e) {
                all = ByteBuffer.allocate((int) size);
                while (all.hasRemaining() && ch.read(all, all.position()) > 0) { /* fill */ }
                all.flip();
            }
            all.order(ByteOrder.LITTLE_ENDIAN);
            IndexFileHeader header = IndexFileHeader.decode(all, magic);
            if (header == null) throw new CorruptIndexException(file.getFileName() + ": bad header (magic, version or checksum)");
            if (header.bodyLength() != size - IndexFileHeader.BYTES) {
                throw new CorruptIndexException(file.getFileName() + ": the header says " + header.bodyLength() + " body bytes, the file has " + (size - IndexFileHeader.BYTES));
            }
            ByteBuffer body = all.slice(IndexFileHeader.BYTES, (int) header.bodyLength()).order(ByteOrder.LITTLE_ENDIAN);
            CRC32C crc = new CRC32C();
            crc.update(body.duplicate());
            if ((int) crc.getValue() != header.bodyCrc()) throw new CorruptIndexException(file.getFileName() + ": body checksum mismatch");
            return new Loaded(header, body);
        }
    }
}
