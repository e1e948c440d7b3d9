package dev.esctl.snapshot;

import dev.esctl.storage.Fsync;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Publishes a snapshot file so that a partial one never carries the name: it is written to
 * {@code FILE.tmp} (forced as it grows, see {@link BackgroundForcer}, and at the end), renamed
 * over {@code FILE} atomically, and the directory forced. On
 * failure the temp file is deleted; a killed writer leaves only {@code FILE.tmp} (restore would
 * refuse it anyway: it lacks its manifest). An older {@code FILE} stays until the new one is
 * complete.
 */
public final class SnapshotFile {
    private SnapshotFile() {}

    /** Writes the file's content. */
    @FunctionalInterface
    public interface Content<T> {
        T writeTo(OutputStream out) throws IOException;
    }

    public static <T> T publish(Path file, Content<T> content) throws IOException {
        Path target = file.toAbsolutePath();
        if (Files.isDirectory(target)) throw new IllegalArgumentException(file + " is a directory; give the snapshot file's name");
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        boolean published = false;
        try {
            T result;
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 20);
                try (BackgroundForcer forcer = new BackgroundForcer(ch)) {
                    result = content.writeTo(out);
                    out.flush();
                }
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            published = true;
            Fsync.directory(target.getParent());
            return result;
        } finally {
            if (!published) Files.deleteIfExists(temp);
        }
    }
}
