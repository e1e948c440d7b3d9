package dev.esctl.storage;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.testing.FileSystems;
import dev.esctl.testing.crashfs.CrashFileSystem;
import dev.esctl.testing.crashfs.Fault;
import dev.esctl.testing.crashfs.FaultError;
import dev.esctl.testing.crashfs.OpKind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Directory fsync: it makes new entries durable, and when it fails the caller hears of it. */
class FsyncTest {
    @Test
    void aDirectoryForceMakesNewEntriesDurable() throws IOException {
        CrashFileSystem fs = CrashFileSystem.create(1);
        Path dir = fs.getPath("/d");
        Files.createDirectory(dir);
        Fsync.directory(dir.getParent());
        try (FileChannel ch = FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        long before = fs.operations(OpKind.DIRECTORY_FORCE);
        Fsync.directory(dir);
        assertEquals(before + 1, fs.operations(OpKind.DIRECTORY_FORCE));
        for (int seed = 0; seed < 50; seed++) {
            try (CrashFileSystem image = fs.imageAfterCrash(new Random(seed))) {
                assertTrue(Files.exists(image.getPath("/d/f")), "seed " + seed);
            }
        }
    }

    @Test
    void aFailedDirectoryForceIsReportedOnEveryFileSystem() throws IOException {
        CrashFileSystem fs = CrashFileSystem.create(1);
        Path dir = fs.getPath("/d");
        Files.createDirectory(dir);
        fs.inject(Fault.once(OpKind.DIRECTORY_FORCE, 1, FaultError.EIO));
        IOException x = assertThrows(IOException.class, () -> Fsync.directory(dir),
                "a failed fsync of a directory means a new file may vanish in a crash; the caller must hear of it");
        assertEquals("EIO", x.getMessage());
    }

    @Test
    void aFileSystemThatCannotOpenDirectoriesHasNothingToForce() throws IOException {
        Path dir = FileSystems.jimfsDir();
        Files.createDirectories(dir);
        Fsync.directory(dir);
    }
}
