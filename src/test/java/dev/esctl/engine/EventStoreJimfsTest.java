package dev.esctl.engine;

import dev.esctl.testing.FileSystems;
import java.io.IOException;
import java.nio.file.Path;

class EventStoreJimfsTest extends EventStoreContract {
    @Override
    Path newDir() throws IOException {
        return FileSystems.jimfsDir();
    }
}
