package dev.esctl.check;

import java.nio.file.Path;
import java.util.List;

/**
 * The verdict of one check of a data directory: what was checked, every problem (the first
 * {@link Findings#KEEP_MAX}; all are counted), and what {@code --repair} could do. Immutable.
 *
 * @param live       a running daemon held the data directory: the check was read-only and the
 *                   end of the active segment was in flux
 * @param headSeq    the last committed seq the check found (its hash: {@code headHash})
 * @param tailCut    where the end of the log can be cut to remove damage or a torn write, or null
 * @param logDamage  damage that no repair can fix (before the end of the log)
 */
public record CheckReport(Path dataDir, boolean live, int segments, long segmentBytes, long headSeq, byte[] headHash,
                          int indexFiles, List<Problem> problems, long damageCount, long noticeCount,
                          TailCut tailCut, boolean logDamage, boolean indexDamage, long nanos) {

    /** No damage (notices may remain). */
    public boolean clean() {
        return damageCount == 0;
    }

    /**
     * True when {@code fsck --repair} can leave a clean store: no damage before the end of the
     * log, and something to do (a tail to cut, indexes to rebuild).
     */
    public boolean repairable() {
        return !logDamage && (tailCut != null || indexDamage);
    }

    public String verdict() {
        return clean() ? "clean" : "damaged";
    }

    public double megabytesPerSecond() {
        return segmentBytes / 1e6 / Math.max(nanos / 1e9, 1e-9);
    }
}
