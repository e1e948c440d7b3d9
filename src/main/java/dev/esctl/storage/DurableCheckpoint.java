package dev.esctl.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A lower bound on what is durable: "every event up to seq S, ending at byte O of segment F,
 * was forced". Recovery uses it to tell a torn tail (cut it) from damage to acknowledged bytes
 * (refuse). Written lazily by the writer after a force and at every seal.
 *
 * <p>File: two 64-byte slots, written alternately, each {@code magic u32, flags u32 (bit 0: clean shutdown),
 * generation u64, seq u64, segmentFirstSeq u64, offset u64, reserved[20], crc32c u32} over the
 * first 60 bytes. A torn write can damage only the slot being written; the other one still
 * holds the previous checkpoint, so the newest valid slot is always a true statement.
 */
public final class DurableCheckpoint implements AutoCloseable {
    /** {@code clean}: written at a clean shutdown, so the log ends exactly here. */
    public record Point(long generation, long seq, long segmentFirstSeq, long offset, boolean clean) {}

    private static final int MAGIC = 0x4b435345; // "ESCK" little-endian
    private static final int SLOT_BYTES = 64;
    private static final int CRC_AT = 60;

    private final FileChannel channel;
    private long generation;

    private DurableCheckpoint(FileChannel channel, long generation) {
        this.channel = channel;
        this.generation = generation;
    }

    /** Opens (creating if absent) the checkpoint file for writing. */
    public static DurableCheckpoint open(Path file) throws IOException {
        boolean created = !Files.exists(file);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (created) {
            ch.write(ByteBuffer.allocate(2 * SLOT_BYTES), 0);
            ch.force(true);
            Fsync.directory(file.toAbsolutePath().getParent());
        }
        Point last = read(ch);
        return new DurableCheckpoint(ch, last == null ? 0 : last.generation());
    }

    /** The newest valid checkpoint in the file, or null when there is none (or no file). */
    public static Point read(Path file) throws IOException {
        if (!Files.exists(file)) return null;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch);
        }
    }

    private static Point read(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(2 * SLOT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining() && ch.read(b, b.position()) > 0) { /* fill */ }
        Point best = null;
        for (int slot = 0; slot < 2; slot++) {
            int at = slot * SLOT_BYTES;
            if (b.position() < at + SLOT_BYTES) continue;
            if (b.getInt(at) != MAGIC || b.getInt(at + CRC_AT) != crc(b, at)) continue;
            Point p = new Point(b.getLong(at + 8), b.getLong(at + 16), b.getLong(at + 24), b.getLong(at + 32), (b.getInt(at + 4) & 1) != 0);
            if (best == null || p.generation() > best.generation()) best = p;
        }
        return best;
    }

    /** Records a durable point and forces it. Call only after the bytes it names were forced. */
    public void write(long seq, long segmentFirstSeq, long offset, boolean clean) throws IOException {
        long gen = generation + 1;
        ByteBuffer b = ByteBuffer.allocate(SLOT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, MAGIC).putInt(4, clean ? 1 : 0).putLong(8, gen).putLong(16, seq).putLong(24, segmentFirstSeq).putLong(32, offset);
        b.putInt(CRC_AT, crc(b, 0));
        long at = (gen % 2) * SLOT_BYTES;
        while (b.hasRemaining()) at += channel.write(b, at);
        channel.force(false);
        generation = gen;
    }

    private static int crc(ByteBuffer b, int at) {
        CRC32C crc = new CRC32C();
        crc.update(b.slice(at, CRC_AT));
        return (int) crc.getValue();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
