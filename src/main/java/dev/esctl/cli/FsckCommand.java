package dev.esctl.cli;

import dev.esctl.engine.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "fsck",
        description = {"Check a data directory offline, or rebuild its indexes.",
                "--rebuild-index deletes index/ and rebuilds every index from the segments (the segments are the only source of truth); "
                        + "it needs the write lock, so stop the daemon first."},
        footerHeading = "%nExamples:%n",
        footer = {"  esctl fsck --data ./esctl-data --rebuild-index"})
final class FsckCommand implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Option(names = "--rebuild-index", description = "Delete and rebuild every index file from the segments.")
    boolean rebuildIndex;

    @Override
    public Integer call() throws Exception {
        if (!rebuildIndex) throw new IllegalArgumentException("nothing to do: give --rebuild-index");
        Path dir = store.dataDir();
        if (!Files.isDirectory(dir.resolve("segments"))) throw new IllegalArgumentException("no data directory at " + dir + " (it has no segments/)");
        // Take the lock first (by opening), so a running daemon's index is never deleted under it.
        long start = System.nanoTime();
        ProgressBar bar = new ProgressBar("rebuilding indexes");
        try (var lock = new dev.esctl.storage.DataDirectory(dir).lockForWriting()) {
            Path index = dir.resolve("index");
            if (Files.exists(index)) {
                try (Stream<Path> walk = Files.walk(index)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
                }
            }
        }
        long events;
        try (EventStore es = EventStore.open(dir, dev.esctl.engine.StoreConfig.defaults(), bar::update)) {
            events = es.head().seq();
        } finally {
            bar.finish();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf(Locale.ROOT, "esctl: rebuilt the indexes of %,d events in %.2f s (%,.0f events/s)%n", events, seconds, events / Math.max(seconds, 1e-9));
        return ExitCodes.OK;
    }
}
