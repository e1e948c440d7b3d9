package dev.esctl.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Forcing directories, so that created and renamed files survive a crash. */
public final class Fsync {
    private Fsync() {}

    /**
     * Forces a directory's entries to disk. On Linux opening a directory read-only and calling
     * {@code force} issues fsync(2) on it. An in-memory test file system that cannot open a
     * directory has nothing to force; on the default file system that is an error. A force
     * that fails is always an error: a file created in the directory may vanish in a crash.
     */
    public static void directory(Path dir) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            if (dir.getFileSystem() != FileSystems.getDefault()) return;
            if (e instanceof IOException io) throw io;
            throw new IOException("cannot force directory " + dir, e);
        }
        try (ch) {
            ch.force(true);
        }
    }
}
