package dev.esctl.engine;

import static dev.esctl.testing.TestEvents.batch;
import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.storage.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the real disk (real fsync, real mapping of sealed segments, real locks). */
class EventStoreDiskTest extends EventStoreContract {
    @TempDir Path tmp;
    private int n;

    @Override
    Path newDir() {
        return tmp.resolve("store" + (n++));
    }

    @Test
    void aSecondWriterIsRefusedWithTheDirectoryAndPid() throws IOException {
        Path dir = newDir();
        try (EventStore es = EventStore.open(dir, config())) {
            StoreException x = assertThrows(StoreException.class, () -> EventStore.open(dir, config()));
            assertEquals(StoreException.Code.LOCKED, x.code());
            assertTrue(x.getMessage().contains(dir.toString()), x.getMessage());
            assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(dir.resolve("LOCK")).trim());
            // Readers need no lock.
            try (EventStore ro = EventStore.openReadOnly(dir)) {
                es.append(batch("s", 1, Expectation.ANY));
                assertEquals(0, ro.head().seq(), "a read-only store sees the log as of its open");
            }
        }
        try (EventStore again = EventStore.open(dir, config())) {
            assertEquals(1, again.head().seq(), "closing released the lock");
        }
    }
}
