package dev.esctl.engine;

import dev.esctl.testing.crashfs.CrashFileSystem;
import java.nio.file.Path;

/**
 * The store contract on the crash-simulating file system (no crash, no fault): the wrapper is
 * faithful enough that everything the crash tests see is the store's doing, not the wrapper's.
 */
class EventStoreCrashFsTest extends EventStoreContract {
    private static long seed;

    @Override
    Path newDir() {
        return CrashFileSystem.create(++seed).getPath("/store");
    }
}
