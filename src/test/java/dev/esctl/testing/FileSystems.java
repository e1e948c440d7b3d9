package dev.esctl.testing;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where storage tests put a data directory: an in-memory jimfs, or the real disk. */
public final class FileSystems {
    private FileSystems() {}

    /** A fresh data directory path on a new in-memory Unix-like file system. */
    public static Path jimfsDir() throws IOException {
        FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
        Path dir = fs.getPath("/store");
        Files.createDirectories(dir.getParent() == null ? fs.getPath("/") : dir.getParent());
        return dir;
    }
}
