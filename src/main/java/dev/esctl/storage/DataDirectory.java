package dev.esctl.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A data directory: {@code LOCK}, {@code segments/}, {@code index/} and {@code checkpoint}.
 * The process that writes holds an exclusive lock on {@code LOCK} (and writes its pid into it)
 * for as long as it is open; readers need no lock.
 */
public final class DataDirectory {
    private final Path root;

    public DataDirectory(Path root) {
        this.root = root;
    }

    public Path root() { return root; }
    public Path segmentsDir() { return root.resolve("segments"); }
    public Path indexDir() { return root.resolve("index"); }
    public Path lockFile() { return root.resolve("LOCK"); }
    public Path checkpointFile() { return root.resolve("checkpoint"); }
    public Path quarantineDir() { return root.resolve("quarantine"); }

    public Path segmentFile(long firstSeq) {
        return segmentsDir().resolve(SegmentName.of(firstSeq));
    }

    public boolean exists() {
        return Files.isDirectory(segmentsDir());
    }

    /** Creates the directory layout if absent, forcing each new directory entry. */
    public void create() throws IOException {
        for (Path dir : List.of(root, segmentsDir(), indexDir())) {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Path parent = dir.toAbsolutePath().getParent();
                if (parent != null) Fsync.directory(parent);
            }
        }
    }

    /** Segment files sorted by first seq; files with other names are ignored. */
    public List<Path> segmentFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(segmentsDir())) {
            s.filter(p -> SegmentName.firstSeq(p) > 0).forEach(files::add);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        files.sort(Comparator.comparingLong(SegmentName::firstSeq));
        return files;
    }

    /**
     * Takes the exclusive write lock, or fails naming the directory and, when it is known, the
     * pid of the process that holds it. Closing the returned lock releases it.
     */
    public WriteLock lockForWriting() throws IOException {
        FileChannel ch = FileChannel.open(lockFile(), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            String holder = readHolder(ch);
            ch.close();
            throw new StoreException(StoreException.Code.LOCKED, "data directory " + root + " is in use by another process"
                    + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                    + "; stop it, or talk to it with --server, or read offline without writing");
        }
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // Closing the channel releases the lock; without it a failed open (a full disk)
            // would leave this process holding the lock, and every retry would be refused.
            try {
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new WriteLock(ch, lock);
    }

    private static String readHolder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** The held write lock; {@link #close()} releases it. */
    public static final class WriteLock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        WriteLock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            try {
                if (lock.isValid()) lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
