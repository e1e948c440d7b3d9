package dev.esctl.cli;

import dev.esctl.snapshot.SnapshotRestore;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore",
        description = {"Lay a snapshot (from esctl snapshot) out as a new data directory, verifying every checksum: each file's SHA-256 "
                + "against the manifest while unpacking, then every frame (CRC, seqs, the hash chain end to end); then the indexes are rebuilt.",
                "All or nothing: it works in a temporary directory next to DIR and renames it into place only at the end, so DIR never holds "
                        + "half a restore; a truncated or altered snapshot is refused (exit 7) and leaves nothing behind.",
                "DIR must be new or empty, unless --force (then its old content is replaced; never while a daemon holds it). "
                        + "Reports the seq and head hash of the restored store: they equal the source's at the cut."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  esctl restore /backup/esctl-2026-11-26.tar --data /var/lib/esctl-restored",
                "  ssh backup 'cat esctl.tar.zst' | zstd -d | esctl restore - --data ./esctl-data",
                "  esctl restore snap.tar --data ./esctl-data --force   # replace a stopped store"})
final class RestoreCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The snapshot file; - for stdin.")
    String file;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "The data directory to create (new or empty).")
    Path data;

    @Option(names = "--force", description = "Replace DIR even if it is not empty.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        boolean stdin = file.equals("-");
        if (stdin && System.console() != null) throw new IllegalArgumentException("refusing to read a snapshot from a terminal: pipe it in (… | esctl restore -) or give FILE");
        PhasedProgress progress = new PhasedProgress();
        SnapshotRestore.Result result;
        try (InputStream in = stdin ? new BufferedInputStream(System.in, 1 << 20) : open(Path.of(file))) {
            result = SnapshotRestore.restore(in, data, force, System.err, progress);
        } finally {
            progress.finish();
        }
        double seconds = result.nanos() / 1e9;
        System.err.printf(Locale.ROOT, "esctl: restored %s at seq %d, head hash %s: %,.1f MB of segments in %.2f s (%,.1f MB/s)%n",
                result.target(), result.manifest().cutSeq(), result.manifest().headHashHex(), result.bytes() / 1e6, seconds,
                result.bytes() / 1e6 / Math.max(seconds, 1e-9));
        return ExitCodes.OK;
    }

    private static InputStream open(Path p) throws IOException {
        try {
            return new BufferedInputStream(Files.newInputStream(p), 1 << 20);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no snapshot file " + p);
        }
    }

    /** One progress bar per phase of the restore (unpacking, checking, indexing). */
    private static final class PhasedProgress implements SnapshotRestore.Progress {
        private String phase;
        private ProgressBar bar;

        @Override
        public synchronized void update(String phase, long done, long total) {
            if (!phase.equals(this.phase)) {
                finish();
                this.phase = phase;
                bar = new ProgressBar(phase);
            }
            bar.update(done, total);
        }

        synchronized void finish() {
            if (bar != null) bar.finish();
            bar = null;
        }
    }
}
