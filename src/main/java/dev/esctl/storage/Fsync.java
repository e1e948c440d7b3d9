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
     * {@code force} issues fsync(2) on it. In-memory test file systems that cannot open a
     * directory have nothing to force; on the default file system a failure is an error.
     */
    public static void directory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            if (dir.getFileSystem() == FileSystems.getDefault()) {
                if (e instanceof IOException io) throw io;
                throw new IOException("cannot force directory " + dir, e);
            }
        }
    }
}
