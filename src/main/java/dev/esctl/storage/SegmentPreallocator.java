package dev.esctl.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the next segment's file ready: {@code segments/next.seg.tmp}, written full of zeros to
 * the segment size and forced, by a background thread. An fdatasync over space that was written
 * and forced before costs about half as much as one that grows the file (no block allocation,
 * no size change to record), so every durable append gets cheaper. The zeros read as the end of
 * the log (no frame magic). The spare survives restarts; a store whose writer cannot prepare one
 * (a full disk) simply grows its segments as it goes. Thread-safe.
 */
public final class SegmentPreallocator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SegmentPreallocator.class);
    static final String SPARE = "next.seg.tmp";
    /** Zeros written between forces: what a log fsync may find queued ahead of it at the disk. */
    private static final long FORCE_BYTES = 8L << 20;

    private final Path spare;
    private final long sizeBytes;
    private final Thread thread;
    private volatile boolean ready;
    private volatile boolean closed;
    private volatile boolean failed;
    private final Object lock = new Object();

    public SegmentPreallocator(DataDirectory dir, long sizeBytes) {
        this.spare = dir.segmentsDir().resolve(SPARE);
        this.sizeBytes = sizeBytes;
        this.thread = Thread.ofPlatform().name("esctl-preallocator").daemon().start(this::run);
    }

    /**
     * Moves the ready spare to {@code target} (atomically) and starts preparing the next one;
     * false when none is ready (the caller then creates the file as it grows).
     */
    boolean takeAs(Path target) throws IOException {
        synchronized (lock) {
            if (!ready) return false;
            ready = false;
            Files.move(spare, target, StandardCopyOption.ATOMIC_MOVE);
            lock.notifyAll();
            return true;
        }
    }

    /** True when a spare is ready to be taken. */
    boolean ready() {
        return ready;
    }

    /** Waits up to {@code millis} for a spare (for tests that want one before they start). */
    boolean awaitReady(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        synchronized (lock) {
            while (!ready && !closed && !failed) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) return false;
                lock.wait(left);
            }
            return ready;
        }
    }

    private void run() {
        while (!closed) {
            try {
                synchronized (lock) {
                    while (ready && !closed) lock.wait();
                }
                if (closed) return;
                prepare();
                synchronized (lock) {
                    ready = true;
                    lock.notifyAll();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (closed) return; // interrupted by close(): the spare is finished next time
                log.warn("event=preallocation_failed file={} error=\"{}\" effect=\"segments grow as they are written\"", spare, e.toString());
                synchronized (lock) {
                    failed = true;
                    lock.notifyAll();
                }
                return;
            }
        }
    }

    /**
     * Writes the spare's missing zeros and forces it. A spare left by an earlier process is reused
     * as far as it reads as zeros (a crash may have torn its unforced writes into anything).
     */
    private void prepare() throws IOException {
        try (FileChannel ch = FileChannel.open(spare, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long have = Math.min(ch.size(), sizeBytes);
            if (have > 0) {
                try (ChannelSegmentBytes bytes = new ChannelSegmentBytes(spare)) {
                    if (!Zeros.isZero(bytes, 0, have)) have = 0;
                }
            }
            if (ch.size() > have) ch.truncate(have);
            for (long p = have; p < sizeBytes && !closed; p += Zeros.CHUNK) { // a chunk at a time: close() is heard
                Zeros.write(ch, p, Math.min(sizeBytes, p + Zeros.CHUNK));
                // Forced as it goes: left to the kernel, hundreds of MiB of zeros reach the disk
                // in one burst, and every fsync of the log waits behind it.
                if ((p - have) % FORCE_BYTES == FORCE_BYTES - Zeros.CHUNK) ch.force(false);
            }
            if (closed) return;
            ch.force(true);
        }
        // No directory force: a spare whose entry is lost in a crash is simply prepared again;
        // the writer forces the directory after renaming the spare into the log.
    }

    /** True for the spare's name: fsck and listings pass over it (it holds no events). */
    public static boolean isSpare(Path file) {
        return SPARE.equals(String.valueOf(file.getFileName()));
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
