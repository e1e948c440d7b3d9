package dev.esctl.check;

import dev.esctl.storage.DataDirectory;
import dev.esctl.storage.DurableCheckpoint;
import dev.esctl.storage.Fsync;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code fsck --repair}: cuts a damaged or torn end of the log back to the last good batch,
 * as a {@link CheckReport} found it, and deletes the index files so that the next open rebuilds
 * them from what is left. Only the end of the log is ever cut: a report with damage before it
 * ({@link CheckReport#logDamage()}) is refused, since the cut would throw intact, acknowledged
 * events away — that needs a snapshot.
 *
 * <p>The cut bytes are never deleted: they are copied to {@code quarantine/<segment>.<offset>.cut}
 * (temp file, force, rename, directory force) before the segment is truncated and forced, so a
 * crash at any step leaves them in at least one of the two places. Then the checkpoint is reset
 * to the new end (a new generation, forced), or the next open would refuse the shorter log.
 *
 * <p>The caller must hold the data directory's write lock, taken before the check that produced
 * the report and kept until this returns, so nothing changed in between.
 */
public final class TailRepair {
    private TailRepair() {}

    /** Applies the report's cut; returns the quarantine file written, or null when nothing was cut. */
    public static Path apply(Path root, CheckReport report, PrintStream out) throws IOException {
        if (report.live()) throw new IllegalStateException("a report from a live (read-only) check cannot be repaired");
        if (report.logDamage()) {
            throw new IllegalArgumentException("the log is damaged before its end; cutting there would throw intact, acknowledged events away. "
                    + "Restore the latest good snapshot instead (esctl restore)");
        }
        DataDirectory dir = new DataDirectory(root);
        TailCut cut = report.tailCut();
        Path quarantined = null;
        if (cut != null) {
            if (cut.bytes() > 0) quarantined = quarantine(dir, cut, out);
            DurableCheckpoint checkpoint = DurableCheckpoint.open(dir.checkpointFile());
            try {
                checkpoint.write(cut.lastSeq(), cut.endSegmentFirstSeq(), cut.endOffset(), false);
            } finally {
                checkpoint.close();
            }
            out.println("repair: the log now ends at seq " + cut.lastSeq() + "; the checkpoint says so");
        }
        deleteIndexes(dir);
        out.println("repair: deleted the index files; they are rebuilt from the segments on the next open");
        return quarantined;
    }

    private static Path quarantine(DataDirectory dir, TailCut cut, PrintStream out) throws IOException {
        Path q = dir.quarantineDir();
        if (!Files.isDirectory(q)) {
            Files.createDirectories(q);
            Fsync.directory(dir.root());
        }
        String base = cut.segment().getFileName() + "." + cut.offset() + ".cut";
        Path target = q.resolve(base);
        for (int n = 2; Files.exists(target); n++) target = q.resolve(base + "." + n);
        Path temp = q.resolve(target.getFileName() + ".tmp");
        try (FileChannel from = FileChannel.open(cut.segment(), StandardOpenOption.READ);
             FileChannel to = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            long end = cut.offset() + cut.bytes();
            for (long p = cut.offset(); p < end; ) {
                long n = from.transferTo(p, end - p, to);
                if (n <= 0) throw new IOException("segment " + cut.segment().getFileName() + " ended at byte " + p + " while copying bytes " + cut.offset() + ".." + end + " to quarantine");
                p += n;
            }
            to.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        Fsync.directory(q);
        if (cut.offset() == 0) {
            Files.delete(cut.segment());
            Fsync.directory(cut.segment().getParent());
            out.println("repair: moved " + cut.segment().getFileName() + " (" + cut.bytes() + " bytes) to quarantine/" + target.getFileName());
        } else {
            try (FileChannel ch = FileChannel.open(cut.segment(), StandardOpenOption.WRITE)) {
                ch.truncate(cut.offset());
                ch.force(true);
            }
            out.println("repair: cut " + cut.bytes() + " bytes at byte " + cut.offset() + " of " + cut.segment().getFileName()
                    + " (from seq " + cut.firstCutSeq() + " on); they are kept in quarantine/" + target.getFileName());
        }
        return target;
    }

    private static void deleteIndexes(DataDirectory dir) throws IOException {
        Path index = dir.indexDir();
        if (!Files.exists(index)) return;
        try (Stream<Path> walk = Files.walk(index)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(index)) Files.delete(p);
            }
        }
        Fsync.directory(index);
    }
}
