package dev.esctl.cli;

import dev.esctl.snapshot.SnapshotFile;
import dev.esctl.snapshot.SnapshotManifest;
import dev.esctl.snapshot.SnapshotReader;
import dev.esctl.snapshot.SnapshotWriter;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "snapshot",
        description = {"Write a consistent snapshot of a live or stopped store to one file: every event up to one seq (the cut), nothing after it; "
                + "appends go on meanwhile.",
                "From a daemon (--server) it is streamed from GET /snapshot and verified as it arrives; from a data directory (--data) it is read "
                        + "directly, whether or not a daemon runs on it.",
                "The file is a tar archive: snapshot.json, the segments, and last manifest.json with the SHA-256 of every file. "
                        + "It is written as FILE.tmp, forced and renamed, so a partial snapshot never has the name. "
                        + "Prints the cut seq, head hash, size, time and MB/s on stderr."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  esctl snapshot -o /backup/esctl-$(date +%%F).tar    # from the daemon",
                "  esctl snapshot --data /var/lib/esctl -o snap.tar    # from a data directory",
                "  esctl snapshot -o - | zstd | ssh backup 'cat > esctl.tar.zst'",
                "  esctl restore snap.tar --data ./restored            # see esctl restore -h"})
final class SnapshotCommand implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Where to write the snapshot; - for stdout.")
    String output;

    @Override
    public Integer call() throws IOException {
        boolean toStdout = output.equals("-");
        if (toStdout && System.console() != null) {
            throw new IllegalArgumentException("refusing to write a binary snapshot to a terminal: redirect stdout (-o - > FILE, -o - | ssh …) or give -o FILE");
        }
        boolean offline = store.offline();
        long start = System.nanoTime();
        ProgressBar bar = new ProgressBar("snapshot");
        SnapshotManifest manifest;
        long bytes;
        try {
            if (toStdout) {
                CountingOutputStream out = new CountingOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 20));
                manifest = take(offline, out, bar);
                out.flush();
                bytes = out.count;
            } else {
                Path file = Path.of(output);
                manifest = SnapshotFile.publish(file, out -> take(offline, out, bar));
                bytes = Files.size(file);
            }
        } finally {
            bar.finish();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf(Locale.ROOT, "esctl: snapshot at cut seq %d (head hash %s) written to %s: %,.1f MB (%,d segment bytes) in %.2f s (%,.1f MB/s)%n",
                manifest.cutSeq(), manifest.headHashHex(), toStdout ? "stdout" : output, bytes / 1e6, manifest.segmentBytes(), seconds,
                bytes / 1e6 / Math.max(seconds, 1e-9));
        return ExitCodes.OK;
    }

    private SnapshotManifest take(boolean offline, OutputStream out, ProgressBar bar) throws IOException {
        if (offline) return SnapshotWriter.write(store.dataDir(), out, bar::update);
        try (InputStream in = new java.io.BufferedInputStream(store.client().download("/snapshot"), 1 << 20)) {
            return SnapshotReader.copy(in, out, bar::update);
        }
    }

    /** Counts what goes to stdout, for the summary. */
    private static final class CountingOutputStream extends FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
