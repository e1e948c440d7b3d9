package dev.esctl.cli;

import dev.esctl.check.CheckReport;
import dev.esctl.check.StoreChecker;
import dev.esctl.check.TailRepair;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.StoreConfig;
import dev.esctl.storage.DataDirectory;
import dev.esctl.storage.StoreException;
import dev.esctl.wire.CheckReportJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
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
        description = {"Check a data directory: every frame's CRC and structure, seq continuity across segments, the hash chain end to end "
                + "(segment headers and footers included), version continuity per stream, segment names and sizes, the checkpoint, and that "
                + "every index file agrees with the segments. Each problem is printed with its file, byte offset and seq.",
                "Exit 0 when clean, 7 when damage was found. While a daemon holds the directory it checks read-only and says so "
                        + "(the end of the active segment is then in flux and not judged).",
                "--repair cuts a damaged or torn end of the log back to the last good batch (the cut bytes go to quarantine/, never deleted) "
                        + "and rebuilds the indexes; it refuses damage before the end of the log, which needs a snapshot (esctl restore).",
                "--rebuild-index deletes index/ and rebuilds every index from the segments. Both need the daemon stopped."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  esctl fsck --data /var/lib/esctl",
                "  esctl fsck --data /var/lib/esctl --json | jq '.verdict, .problems[].message'",
                "  esctl fsck --data /var/lib/esctl --repair        # daemon stopped",
                "  esctl fsck --data ./esctl-data --rebuild-index"})
final class FsckCommand implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Option(names = "--rebuild-index", description = "Delete and rebuild every index file from the segments.")
    boolean rebuildIndex;

    @Option(names = "--repair", description = "Cut a damaged or torn tail back to the last good batch (kept in quarantine/) and rebuild the indexes.")
    boolean repair;

    @Option(names = "--json", description = "Print the report as one JSON object on stdout (instead of lines).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (store.server != null) throw new IllegalArgumentException("fsck works on a data directory: give --data DIR (on the daemon's machine)");
        Path dir = store.dataDir();
        if (!Files.isDirectory(dir.resolve("segments"))) throw new IllegalArgumentException("no data directory at " + dir + " (it has no segments/)");
        DataDirectory.WriteLock lock;
        String heldBy = null;
        try {
            lock = new DataDirectory(dir).lockForWriting();
        } catch (StoreException e) {
            if (e.code() != StoreException.Code.LOCKED) throw e;
            lock = null;
            heldBy = e.getMessage();
        } catch (IOException e) {
            lock = null;
            heldBy = "cannot take the lock of " + dir + " (" + e.getMessage() + ")";
        }
        if (lock == null && (repair || rebuildIndex)) {
            throw new StoreException(StoreException.Code.LOCKED, heldBy + ". " + (repair ? "--repair" : "--rebuild-index")
                    + " changes the directory and needs it to itself: stop the daemon first (fsck without options checks it read-only meanwhile)");
        }
        if (rebuildIndex && !repair) {
            lock.close();
            return rebuildIndexes(dir);
        }
        boolean live = lock == null;
        if (live) System.err.println("esctl: " + heldBy + ": checking read-only; the end of the active segment is being written and is not judged");
        PrintStream out = json ? new PrintStream(OutputStream.nullOutputStream()) : System.out;
        CheckReport report;
        try {
            report = check(dir, live, out);
            if (repair) return repair(dir, report, lock, out);
        } finally {
            if (lock != null) lock.close();
        }
        if (json) System.out.println(CheckReportJson.of(report));
        return report.clean() ? ExitCodes.OK : ExitCodes.DAMAGED;
    }

    private static CheckReport check(Path dir, boolean live, PrintStream out) throws IOException {
        ProgressBar bar = new ProgressBar("checking");
        try {
            return StoreChecker.check(dir, live, true, out, bar::update);
        } finally {
            bar.finish();
        }
    }

    /** Runs with the lock held since the check; releases it to rebuild the indexes through a normal open. */
    private int repair(Path dir, CheckReport report, DataDirectory.WriteLock lock, PrintStream out) throws IOException {
        if (report.clean() && report.tailCut() == null) {
            if (json) System.out.println(CheckReportJson.of(report).put("repaired", false));
            else out.println("repair: nothing to repair");
            return ExitCodes.OK;
        }
        if (report.logDamage()) {
            System.err.println("esctl: refusing to repair: the log is damaged before its end, and cutting it there would throw intact, acknowledged "
                    + "events away. Nothing was changed. Restore the latest good snapshot (esctl restore SNAPSHOT --data NEWDIR), "
                    + "and keep this directory for inspection.");
            if (json) System.out.println(CheckReportJson.of(report).put("repaired", false));
            return ExitCodes.DAMAGED;
        }
        TailRepair.apply(dir, report, out);
        lock.close();
        rebuild(dir);
        out.println("repair: done; checking again");
        CheckReport after = check(dir, false, out);
        if (json) System.out.println(CheckReportJson.of(after).put("repaired", true).put("before", CheckReportJson.of(report)));
        return after.clean() ? ExitCodes.OK : ExitCodes.DAMAGED;
    }

    private static long rebuild(Path dir) throws IOException {
        ProgressBar bar = new ProgressBar("rebuilding indexes");
        try (EventStore es = EventStore.open(dir, StoreConfig.defaults(), bar::update)) {
            return es.head().seq();
        } finally {
            bar.finish();
        }
    }

    private static int rebuildIndexes(Path dir) throws IOException {
        long start = System.nanoTime();
        // Take the lock first, so a running daemon's index is never deleted under it.
        try (var lock = new DataDirectory(dir).lockForWriting()) {
            Path index = dir.resolve("index");
            if (Files.exists(index)) {
                try (Stream<Path> walk = Files.walk(index)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
                }
            }
        }
        long events = rebuild(dir);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf(Locale.ROOT, "esctl: rebuilt the indexes of %,d events in %.2f s (%,.0f events/s)%n", events, seconds, events / Math.max(seconds, 1e-9));
        return ExitCodes.OK;
    }
}
