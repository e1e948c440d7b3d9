package dev.esctl.snapshot;

import dev.esctl.check.CheckReport;
import dev.esctl.check.Problem;
import dev.esctl.check.StoreChecker;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.StoreConfig;
import dev.esctl.index.StoreIndex;
import dev.esctl.storage.DataDirectory;
import dev.esctl.storage.Fsync;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.stream.Stream;

/**
 * Lays a snapshot out as a new data directory, all or nothing.
 *
 * <p>Everything happens in a temporary sibling of the target ({@code .<name>.restoring-<pid>},
 * on the same file system, so the final rename is atomic): the segments are unpacked and each
 * file's SHA-256 is checked against the manifest ({@link SnapshotReader}); then, at once, the
 * frames themselves are checked end to end ({@link StoreChecker}: CRCs, seqs, the hash chain,
 * versions) and the store is opened, which rebuilds the indexes; the log must end at the
 * manifest's cut seq with its head hash; the store is closed cleanly and every file and
 * directory is forced. Only then is
 * the temporary directory renamed to the target and the parent forced. On any failure the
 * temporary directory is deleted and the target is left as it was; a killed restore leaves
 * only the temporary directory, whose name is never taken for a store.
 *
 * <p>The target must be absent or empty, or {@code force} is needed: then the old directory is
 * renamed aside, the new one into place, and the old one deleted — for a moment between the
 * two renames the target does not exist, but it never holds a mix of old and new. A target that
 * a running daemon holds (its lock) is refused even with {@code force}.
 */
public final class SnapshotRestore {
    private SnapshotRestore() {}

    /** Told which phase a restore is in and how far it has come. */
    public interface Progress {
        Progress NONE = (phase, done, total) -> {};

        /** @param phase "unpacking" (bytes), then "checking and indexing" (tenths of a percent) */
        void update(String phase, long done, long total);
    }

    /** What was restored. */
    public record Result(Path target, SnapshotManifest manifest, long bytes, long nanos) {}

    public static Result restore(InputStream in, Path target, boolean force, PrintStream out, Progress progress) throws IOException {
        long start = System.nanoTime();
        Path dest = target.toAbsolutePath().normalize();
        Path parent = dest.getParent();
        if (parent == null) throw new IllegalArgumentException("cannot restore into " + dest + ": give a directory below the root");
        boolean replace = checkTarget(dest, force);
        Files.createDirectories(parent);
        Path temp = parent.resolve("." + dest.getFileName() + ".restoring-" + ProcessHandle.current().pid());
        deleteTree(temp);
        DataDirectory.WriteLock oldLock = replace && Files.isDirectory(dest.resolve("segments")) ? new DataDirectory(dest).lockForWriting() : null;
        Thread cleanup = new Thread(() -> deleteQuietly(temp), "esctl-restore-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        boolean moved = false;
        try {
            Files.createDirectories(temp.resolve("segments"));
            SnapshotManifest manifest;
            try (FileSink sink = new FileSink(temp)) {
                manifest = SnapshotReader.read(in, sink, (done, total) -> progress.update("unpacking", done, total));
            }
            Fsync.directory(temp.resolve("segments"));

            long unpacked = System.nanoTime();
            out.printf(Locale.ROOT, "restore: unpacked %d files (%,.1f MB), every SHA-256 as in the manifest, in %.2f s%n",
                    manifest.files().size(), manifest.segmentBytes() / 1e6, (unpacked - start) / 1e9);
            checkAndIndex(temp, manifest, out, progress);
            out.printf(Locale.ROOT, "restore: checked every frame and rebuilt the indexes in %.2f s%n", (System.nanoTime() - unpacked) / 1e9);
            Fsync.directory(temp.resolve("index"));
            Fsync.directory(temp);

            if (replace) {
                Path aside = parent.resolve("." + dest.getFileName() + ".replaced-" + ProcessHandle.current().pid());
                deleteTree(aside);
                Files.move(dest, aside, StandardCopyOption.ATOMIC_MOVE);
                try {
                    Files.move(temp, dest, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    Files.move(aside, dest, StandardCopyOption.ATOMIC_MOVE);
                    throw e;
                }
                moved = true;
                Fsync.directory(parent);
                if (oldLock != null) oldLock.close();
                oldLock = null;
                deleteTree(aside);
            } else {
                if (Files.isDirectory(dest)) Files.delete(dest); // empty: checked above
                Files.move(temp, dest, StandardCopyOption.ATOMIC_MOVE);
                moved = true;
            }
            Fsync.directory(parent);
            return new Result(dest, manifest, manifest.segmentBytes(), System.nanoTime() - start);
        } finally {
            if (!moved) deleteQuietly(temp);
            if (oldLock != null) oldLock.close();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or will: it deletes only the temporary directory.
            }
        }
    }

    /**
     * Checks every frame of what was unpacked ({@link StoreChecker}: CRCs, seqs, the hash chain,
     * versions) and opens the store, which rebuilds the indexes and must end at the cut. The two
     * are passes over the log that share nothing — the check reads only the unpacked segment
     * files, which the open does not change — so they run at once, on two cores where there are.
     * The check's verdict wins over an open that failed on the same damage.
     */
    private static void checkAndIndex(Path temp, SnapshotManifest manifest, PrintStream out, Progress progress) throws IOException {
        List<Path> segments = new ArrayList<>();
        for (SnapshotManifest.FileEntry f : manifest.files()) {
            if (f.name().startsWith(SnapshotWriter.SEGMENTS_DIR)) segments.add(temp.resolve(f.name()));
        }
        double[] fractions = new double[2];
        StoreChecker.Progress checkProgress = (done, total) -> both(progress, fractions, 0, total == 0 ? 1 : done / (double) total);
        StoreIndex.Progress indexProgress = (done, total) -> both(progress, fractions, 1, total == 0 ? 1 : done / (double) total);
        FutureTask<CheckReport> checking = new FutureTask<>(() -> StoreChecker.checkSegments(temp, segments, out, checkProgress));
        Thread checker = Thread.ofPlatform().name("esctl-restore-check").start(checking);
        Exception openFailure = null;
        try (EventStore store = EventStore.open(temp, StoreConfig.defaults(), indexProgress)) {
            if (store.head().seq() != manifest.cutSeq() || !Arrays.equals(store.head().chainHash(), manifest.headHash())) {
                throw new BadSnapshotException("the restored store opened at seq " + store.head().seq() + " with head hash "
                        + HexFormat.of().formatHex(store.head().chainHash()) + ", but the manifest says seq " + manifest.cutSeq() + " with " + manifest.headHashHex());
            }
        } catch (IOException | RuntimeException e) {
            openFailure = e;
        }
        CheckReport check;
        try {
            check = checking.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking the restored segments", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException("checking the restored segments failed", e.getCause());
        } finally {
            joinQuietly(checker);
        }
        if (!check.clean()) {
            Problem first = check.problems().stream().filter(Problem::isDamage).findFirst().orElse(null);
            throw new BadSnapshotException("the snapshot's checksums match its manifest, but its segments fail the check"
                    + (first == null ? "" : " (" + first + ")") + ": it was taken from a damaged store");
        }
        if (check.headSeq() != manifest.cutSeq() || !Arrays.equals(check.headHash(), manifest.headHash())) {
            throw new BadSnapshotException("the snapshot's log ends at seq " + check.headSeq() + " with head hash " + HexFormat.of().formatHex(check.headHash())
                    + ", but its manifest says seq " + manifest.cutSeq() + " with " + manifest.headHashHex());
        }
        if (openFailure instanceof IOException io) throw io;
        if (openFailure instanceof RuntimeException r) throw r;
    }

    /** One progress for two passes running at once: the mean of their fractions, in tenths of a percent. */
    private static void both(Progress progress, double[] fractions, int which, double fraction) {
        synchronized (fractions) {
            fractions[which] = fraction;
            progress.update("checking and indexing", Math.round((fractions[0] + fractions[1]) * 500), 1000);
        }
    }

    private static void joinQuietly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** True when an existing, non-empty target is to be replaced; refuses what may not be touched. */
    private static boolean checkTarget(Path dest, boolean force) throws IOException {
        if (!Files.exists(dest)) return false;
        if (!Files.isDirectory(dest)) throw new IllegalArgumentException(dest + " exists and is not a directory; restore needs a new or empty directory");
        boolean empty;
        try (Stream<Path> s = Files.list(dest)) {
            empty = s.findAny().isEmpty();
        }
        if (empty) return false;
        if (!force) throw new IllegalArgumentException(dest + " is not empty; restore into a new directory, or give --force to replace what it holds");
        if (dest.equals(Path.of("").toAbsolutePath())) throw new IllegalArgumentException("refusing to replace the current directory " + dest);
        return true;
    }

    private static StoreIndex.Progress indexProgress(Progress progress) {
        return (done, total) -> progress.update("indexing", done, total);
    }

    /** Writes each unpacked segment to its file, forced when complete. */
    private static final class FileSink implements SnapshotReader.Sink, AutoCloseable {
        private final Path root;
        private FileChannel channel;
        private BackgroundForcer forcer;

        FileSink(Path root) {
            this.root = root;
        }

        @Override
        public void begin(String name, long length) throws IOException {
            // The reader admits only segments/<20 digits>.seg, so the path stays inside root.
            channel = FileChannel.open(root.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            forcer = new BackgroundForcer(channel);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) channel.write(buf);
        }

        @Override
        public void end() throws IOException {
            forcer.close();
            forcer = null;
            channel.force(true);
            channel.close();
            channel = null;
        }

        @Override
        public void close() throws IOException {
            if (forcer != null) forcer.close();
            if (channel != null) channel.close();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (DirectoryNotEmptyException e) {
                    throw new IOException("cannot delete " + p + ": something is still writing into it", e);
                }
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException | RuntimeException e) {
            System.err.println("esctl: could not delete the temporary directory " + dir + ": " + e.getMessage() + "; delete it by hand");
        }
    }
}
