package dev.esctl.check;

import dev.esctl.storage.DataDirectory;
import dev.esctl.storage.StoreException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * fsck: checks a data directory and returns a verdict, printing each problem to the stream it
 * is given as it is found, then a summary and what would fix it. Shared by {@code esctl fsck},
 * {@code esctl restore} (which checks what it unpacked) and the tests, like Aeron's
 * {@code ArchiveTool.verify(PrintStream, …)}.
 *
 * <p>What it checks is described in {@link LogChecker} (the segments) and {@link IndexChecker}
 * (index/ against the segments). It reads only: it never changes, creates or deletes a file.
 * It is safe to run while a daemon writes ({@code live}): sealed segments never change, the
 * active one only grows, index files are replaced atomically; the end of the active segment is
 * then in flux, so what follows its last committed batch is reported as a notice, never as
 * damage. Each call is independent; an instance is not needed.
 */
public final class StoreChecker {
    private StoreChecker() {}

    /** Told how far a check has come, in segment bytes. */
    public interface Progress {
        Progress NONE = (done, total) -> {};

        void update(long doneBytes, long totalBytes);
    }

    /**
     * Checks the data directory at {@code root}.
     *
     * @param live    a running daemon holds the directory (see the class comment)
     * @param indexes also check the files in index/ against the segments
     * @throws StoreException NOT_A_STORE when {@code root} has no segments/ directory
     */
    public static CheckReport check(Path root, boolean live, boolean indexes, PrintStream out, Progress progress) throws IOException {
        return check(root, live, indexes, null, out, progress);
    }

    /**
     * Checks only the log held by {@code segments} (in seq order), offline, without indexes:
     * for {@code esctl restore}, which checks exactly what it unpacked while the store opens.
     */
    public static CheckReport checkSegments(Path root, List<Path> segments, PrintStream out, Progress progress) throws IOException {
        return check(root, false, false, List.copyOf(segments), out, progress);
    }

    private static CheckReport check(Path root, boolean live, boolean indexes, List<Path> segments, PrintStream out, Progress progress) throws IOException {
        long start = System.nanoTime();
        DataDirectory dir = new DataDirectory(root);
        if (!dir.exists()) throw new StoreException(StoreException.Code.NOT_A_STORE, "no data directory at " + root + " (it has no segments/ directory)");
        Findings findings = new Findings(out);
        IndexChecker index = indexes ? new IndexChecker(dir, live, findings) : null;
        if (index != null) index.load();
        LogChecker log = new LogChecker(dir, live, findings, index, progress, segments);
        log.run();
        if (index != null) index.finish(log.headSeq());
        noteQuarantine(dir, findings);
        CheckReport report = new CheckReport(root, live, log.segmentCount(), log.segmentBytes(), log.headSeq(), log.headHash(),
                index == null ? 0 : index.filesChecked(), findings.kept(), findings.damageCount(), findings.noticeCount(),
                log.tailCut(), findings.logDamage(), findings.indexDamage(), System.nanoTime() - start);
        printSummary(report, out);
        return report;
    }

    private static void noteQuarantine(DataDirectory dir, Findings findings) throws IOException {
        List<Path> cut;
        try (Stream<Path> s = Files.list(dir.quarantineDir())) {
            cut = s.toList();
        } catch (NoSuchFileException e) {
            return;
        }
        if (!cut.isEmpty()) {
            findings.notice(Problem.Scope.LOG, Problem.Kind.QUARANTINE, "quarantine/", -1, -1, cut.size() + " file(s) of bytes cut by an earlier repair, kept for inspection; "
                    + "the store never reads them (delete them once they are no longer needed)");
        }
    }

    private static void printSummary(CheckReport r, PrintStream out) {
        double seconds = r.nanos() / 1e9;
        out.printf(Locale.ROOT, "checked %d segment%s (%,.1f MB) up to seq %d, head hash %s%s, in %.2f s (%,.0f MB/s): %s%s%n",
                r.segments(), r.segments() == 1 ? "" : "s", r.segmentBytes() / 1e6, r.headSeq(), HexFormat.of().formatHex(r.headHash()),
                r.indexFiles() > 0 ? ", and " + r.indexFiles() + " index file" + (r.indexFiles() == 1 ? "" : "s") : "",
                seconds, r.megabytesPerSecond(), r.verdict(),
                r.damageCount() + r.noticeCount() == 0 ? "" : " (" + r.damageCount() + " damage, " + r.noticeCount() + " notice" + (r.noticeCount() == 1 ? "" : "s") + ")");
        for (String line : advice(r)) out.println(line);
    }

    /** What would fix what was found, as sentences. */
    public static List<String> advice(CheckReport r) {
        if (r.logDamage()) {
            return List.of("the log is damaged before its end: no repair can fix that without throwing intact events away. "
                    + "Restore the latest good snapshot (esctl restore), and keep a copy of this directory for inspection.");
        }
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        TailCut cut = r.tailCut();
        if (cut != null) {
            out.add(cut.bytes() > 0
                    ? String.format(Locale.ROOT, "--repair cuts %s at byte %d (%,d bytes, from seq %d on) back to seq %d, moving the cut bytes to quarantine/, and rebuilds the indexes.",
                    "segments/" + cut.segment().getFileName(), cut.offset(), cut.bytes(), cut.firstCutSeq(), cut.lastSeq())
                    : "--repair accepts that the log ends at seq " + cut.lastSeq() + " (resets the checkpoint) and rebuilds the indexes.");
        } else if (r.indexDamage()) {
            out.add("the segments are sound; --rebuild-index (or --repair) rebuilds the indexes from them.");
        }
        return out;
    }
}
