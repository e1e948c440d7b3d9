package dev.esctl.snapshot;

import dev.esctl.engine.EventStore;
import dev.esctl.storage.DataDirectory;
import dev.esctl.storage.RecoveredLog;
import dev.esctl.storage.Recovery;
import dev.esctl.storage.Segment;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a snapshot: one consistent cut of a live or stopped store ({@link SnapshotCut}) as one
 * tar file, streamed (to a file, a pipe, an HTTP response) in one pass over the segments.
 *
 * <h2>The snapshot format (version 1)</h2>
 * A POSIX tar archive (ustar, with pax headers where a field needs them), entries in this order:
 * <pre>
 *   snapshot.json                          the cut: format, formatVersion, cutSeq, headHash,
 *                                          headTime, cutTime, and every segment file with its
 *                                          length (no hashes: they are not known yet)
 *   segments/                              a directory entry
 *   segments/00000000000000000001.seg      the segments, in seq order, byte for byte: every
 *   segments/00000000000001048577.seg      sealed one whole; the last one up to the end of
 *   ...                                    the cut's last committed batch
 *   manifest.json                          LAST: the same fields as snapshot.json, plus the
 *                                          SHA-256 and length of every file before it,
 *                                          snapshot.json included
 * </pre>
 * JSON fields are described in {@link SnapshotManifest}. Index files are left out: they are
 * derived, and a live store's index files cover other prefixes of the log than the cut (they
 * are rebuilt on restore). Neither the checkpoint nor LOCK is included.
 *
 * <p><b>Why the manifest is last.</b> A file's SHA-256 is known only once it has been read, and
 * the snapshot is written as a stream, in one pass (sealed segments could be hashed twice, but
 * the active segment is read once, up to the cut). So the manifest comes last, and it is what
 * makes a snapshot valid: a file cut short anywhere — disk full, killed writer, a dropped
 * connection — lacks it or fails its checks, and restore refuses it. {@code snapshot.json}
 * comes first so that a reader can refuse a file that is not a snapshot before unpacking
 * anything, and knows the total size for a progress bar.
 *
 * <p>With plain tar, {@code mkdir d && tar xf snap.tar -C d} gives a data directory (plus the two
 * JSON files); {@code tar xOf snap.tar manifest.json} shows the manifest; {@code sha256sum} of
 * an unpacked file can be compared with it. Entry times are the cut time, owners are 0.
 *
 * <p>Each call is independent; the output stream is flushed but not closed (the caller forces
 * and renames a file, or ends an HTTP response).
 */
public final class SnapshotWriter {
    private SnapshotWriter() {}

    public static final String PREAMBLE = "snapshot.json";
    public static final String MANIFEST = "manifest.json";
    public static final String SEGMENTS_DIR = "segments/";

    private static final int COPY_BYTES = 1 << 20;

    /** Told how far a snapshot (or a restore) has come, in bytes of segment data. */
    public interface Progress {
        Progress NONE = (done, total) -> {};

        void update(long doneBytes, long totalBytes);
    }

    /** The snapshot of a running store at its current head. */
    public static SnapshotManifest write(EventStore store, OutputStream out, Progress progress) throws IOException {
        return write(SnapshotCut.of(store.head(), nowMicros()), out, progress);
    }

    /**
     * The snapshot of a data directory, whether or not a daemon writes to it: the log is opened
     * read-only (no lock, nothing changed) and cut at its last committed batch.
     */
    public static SnapshotManifest write(Path dataDir, OutputStream out, Progress progress) throws IOException {
        RecoveredLog log = Recovery.recover(new DataDirectory(dataDir), Recovery.Mode.READ_ONLY);
        try {
            return write(SnapshotCut.of(log.head(), nowMicros()), out, progress);
        } finally {
            for (Segment s : log.segments()) s.close();
        }
    }

    public static SnapshotManifest write(SnapshotCut cut, OutputStream out, Progress progress) throws IOException {
        List<SnapshotManifest.FileEntry> listed = new ArrayList<>();
        for (SnapshotCut.Part p : cut.parts()) listed.add(new SnapshotManifest.FileEntry(p.name(), p.length(), null));
        SnapshotManifest preamble = new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, cut.head().seq(), cut.head().chainHash(),
                cut.head().timeMicros(), cut.cutTimeMicros(), List.copyOf(listed));

        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        MessageDigest sha = sha256();
        List<SnapshotManifest.FileEntry> hashed = new ArrayList<>();

        byte[] preambleJson = preamble.toJson();
        putBytes(tar, PREAMBLE, preambleJson, cut.cutTimeMicros());
        hashed.add(new SnapshotManifest.FileEntry(PREAMBLE, preambleJson.length, HexFormat.of().formatHex(sha.digest(preambleJson))));

        TarArchiveEntry dirEntry = entry(SEGMENTS_DIR, 0, cut.cutTimeMicros());
        dirEntry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE);
        tar.putArchiveEntry(dirEntry);
        tar.closeArchiveEntry();

        long total = cut.totalBytes(), done = 0;
        byte[] buffer = new byte[COPY_BYTES];
        ByteBuffer wrap = ByteBuffer.wrap(buffer);
        for (SnapshotCut.Part part : cut.parts()) {
            tar.putArchiveEntry(entry(part.name(), part.length(), cut.cutTimeMicros()));
            try (FileChannel ch = FileChannel.open(part.file(), StandardOpenOption.READ)) {
                for (long at = 0; at < part.length(); ) {
                    wrap.clear().limit((int) Math.min(buffer.length, part.length() - at));
                    while (wrap.hasRemaining()) {
                        if (ch.read(wrap, at + wrap.position()) < 0) {
                            throw new IOException("segment " + part.file().getFileName() + " has only " + (at + wrap.position()) + " bytes, but the cut needs "
                                    + part.length() + ": it was truncated or replaced while the snapshot was taken");
                        }
                    }
                    int n = wrap.position();
                    sha.update(buffer, 0, n);
                    tar.write(buffer, 0, n);
                    at += n;
                    done += n;
                    progress.update(done, total);
                }
            }
            tar.closeArchiveEntry();
            hashed.add(new SnapshotManifest.FileEntry(part.name(), part.length(), HexFormat.of().formatHex(sha.digest())));
        }

        SnapshotManifest manifest = new SnapshotManifest(preamble.formatVersion(), preamble.cutSeq(), preamble.headHash(),
                preamble.headTimeMicros(), preamble.cutTimeMicros(), List.copyOf(hashed));
        putBytes(tar, MANIFEST, manifest.toJson(), cut.cutTimeMicros());
        tar.finish();
        tar.flush();
        progress.update(total, total);
        return manifest;
    }

    private static void putBytes(TarArchiveOutputStream tar, String name, byte[] bytes, long timeMicros) throws IOException {
        tar.putArchiveEntry(entry(name, bytes.length, timeMicros));
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static TarArchiveEntry entry(String name, long length, long timeMicros) {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(length);
        e.setMode(0644);
        // Whole seconds: a finer time makes Commons Compress add a pax header to every entry.
        e.setModTime(Math.floorDiv(timeMicros, 1_000_000L) * 1000);
        e.setUserId(0);
        e.setGroupId(0);
        e.setUserName("");
        e.setGroupName("");
        return e;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK provides no SHA-256", e);
        }
    }

    static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
