package dev.esctl.storage;

import static dev.esctl.testing.TestEvents.batch;
import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.engine.EventStore;
import dev.esctl.engine.Expectation;
import dev.esctl.engine.StoreConfig;
import dev.esctl.testing.crashfs.CrashFileSystem;
import dev.esctl.testing.crashfs.Fault;
import dev.esctl.testing.crashfs.FaultError;
import dev.esctl.testing.crashfs.OpKind;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The write lock under I/O errors: a failed open must not leave the directory locked. */
class DataDirectoryFaultTest {
    private static final StoreConfig CONFIG = StoreConfig.defaults();

    /**
     * Found by WriterFailureTest (disk full, restart on the same disk): taking the lock writes
     * the pid into LOCK; when that write failed, the lock and its channel stayed held, so every
     * later open in the same process was refused as "in use by another process", even once
     * space was back.
     */
    @Test
    void anOpenThatFailsOnAFullDiskLeavesTheDirectoryUnlocked() throws IOException {
        CrashFileSystem fs = CrashFileSystem.create(1);
        Path dir = fs.getPath("/store");
        try (EventStore es = EventStore.open(dir, CONFIG)) {
            es.append(batch("s", 1, Expectation.ANY));
        }
        fs.limitSpace(0);
        IOException full = assertThrows(IOException.class, () -> EventStore.open(dir, CONFIG));
        assertEquals("No space left on device", full.getMessage());
        fs.clearFaults();
        try (EventStore es = EventStore.open(dir, CONFIG)) {
            assertEquals(1, es.head().seq());
        }
    }

    @Test
    void anOpenThatFailsToForceTheLockFileLeavesTheDirectoryUnlocked() throws IOException {
        CrashFileSystem fs = CrashFileSystem.create(2);
        Path dir = fs.getPath("/store");
        try (EventStore es = EventStore.open(dir, CONFIG)) {
            es.append(batch("s", 1, Expectation.ANY));
        }
        fs.inject(Fault.once(OpKind.FORCE, 1, FaultError.EIO).onPathsContaining("LOCK"));
        assertEquals("EIO", assertThrows(IOException.class, () -> EventStore.open(dir, CONFIG)).getMessage());
        try (EventStore es = EventStore.open(dir, CONFIG)) {
            assertEquals(1, es.head().seq());
        }
    }
}
