package dev.esctl.cli;

import dev.esctl.engine.EventStore;
import dev.esctl.engine.FsyncPolicy;
import dev.esctl.engine.StoreConfig;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the store is: a data directory used offline ({@code --data}, env {@code ESCTL_DATA}). */
final class StoreOptions {
    @Option(names = "--data", paramLabel = "DIR", description = "Data directory to use directly (offline). Env: ESCTL_DATA.")
    Path data;

    Path dataDir() {
        if (data != null) return data;
        String env = System.getenv("ESCTL_DATA");
        if (env != null && !env.isBlank()) return Path.of(env);
        throw new IllegalArgumentException("no store given: pass --data DIR (or set ESCTL_DATA)");
    }

    EventStore openForReading() throws IOException {
        return EventStore.openReadOnly(dataDir());
    }

    EventStore openForWriting(StoreConfig config) throws IOException {
        return EventStore.open(dataDir(), config);
    }
}
