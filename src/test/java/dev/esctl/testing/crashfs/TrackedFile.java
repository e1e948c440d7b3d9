package dev.esctl.testing.crashfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One regular file (an inode): the bytes that are durable, because a force covered them, and
 * the changes made since, in order, which a crash may or may not have let reach the disk.
 * {@code force(false)} and {@code force(true)} both make data and size durable, as fdatasync
 * does on Linux for the size a later read needs. Not thread-safe; guarded by the {@link Disk}.
 */
final class TrackedFile implements Node {
    /** A change not yet forced. */
    private sealed interface Change permits Write, Truncate {}

    private record Write(long offset, byte[] bytes) implements Change {}

    private record Truncate(long size) implements Change {}

    private final int id;
    private FileContent durable;
    private final List<Change> unforced = new ArrayList<>();

    TrackedFile(int id, byte[] durableBytes) {
        this.id = id;
        this.durable = new FileContent(durableBytes);
    }

    int id() {
        return id;
    }

    void wrote(long offset, byte[] bytes) {
        unforced.add(new Write(offset, bytes));
    }

    void truncated(long size) {
        unforced.add(new Truncate(size));
    }

    boolean hasUnforcedChanges() {
        return !unforced.isEmpty();
    }

    /** A successful force: every change so far is on disk. */
    void forced() {
        for (Change c : unforced) {
            switch (c) {
                case Write w -> durable.write(w.offset, w.bytes, 0, w.bytes.length);
                case Truncate t -> durable.truncate(t.size);
            }
        }
        unforced.clear();
    }

    /**
     * A failed force: each unforced change reached the disk as far as it happened to, and the
     * rest never will (the kernel marked the pages clean), although reads still see it.
     */
    void forceFailed(Random random, CrashStats stats) {
        durable = afterCrash(random, stats);
        unforced.clear();
    }

    /** The file's bytes after a crash now: the durable ones, with each unforced change given a random fate. */
    FileContent afterCrash(Random random, CrashStats stats) {
        FileContent image = durable.copy();
        for (Change c : unforced) {
            switch (c) {
                case Write w -> apply(image, w, WriteFate.choose(random), random, stats);
                case Truncate t -> {
                    // A truncation is a change of the file's size in its inode: on disk or not.
                    if (random.nextBoolean()) {
                        image.truncate(t.size);
                        stats.truncationsKept++;
                    } else {
                        stats.truncationsUndone++;
                    }
                }
            }
        }
        return image;
    }

    private static void apply(FileContent image, Write w, WriteFate fate, Random random, CrashStats stats) {
        int length = w.bytes.length;
        if (length == 0) return;
        long firstSector = w.offset / WriteFate.SECTOR_BYTES;
        long lastSector = (w.offset + length - 1) / WriteFate.SECTOR_BYTES;
        // One sector is written atomically: it cannot be torn, only kept or dropped.
        if (fate == WriteFate.TORN && firstSector == lastSector) fate = WriteFate.DROP;
        switch (fate) {
            case KEEP -> {
                image.write(w.offset, w.bytes, 0, length);
                stats.writesKept++;
            }
            case DROP -> stats.writesDropped++;
            case TORN -> {
                long sectors = lastSector - firstSector;
                long boundary = (firstSector + 1 + (long) random.nextInt((int) sectors)) * WriteFate.SECTOR_BYTES;
                image.write(w.offset, w.bytes, 0, (int) (boundary - w.offset));
                stats.writesTorn++;
            }
            case GARBAGE -> {
                byte[] junk = new byte[length];
                random.nextBytes(junk);
                image.write(w.offset, junk, 0, length);
                stats.writesGarbage++;
            }
        }
    }

    @Override
    public String toString() {
        return "file#" + id;
    }
}
