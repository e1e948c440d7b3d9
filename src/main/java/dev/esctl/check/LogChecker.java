package dev.esctl.check;

import static dev.esctl.check.Problem.Kind.*;
import static dev.esctl.check.Problem.Scope.*;

import dev.esctl.index.StreamHash;
import dev.esctl.index.StreamTable;
import dev.esctl.storage.DataDirectory;
import dev.esctl.storage.DurableCheckpoint;
import dev.esctl.storage.FrameCodec;
import dev.esctl.storage.FrameLayout;
import dev.esctl.storage.FrameStatus;
import dev.esctl.storage.SegmentFooter;
import dev.esctl.storage.SegmentHeader;
import dev.esctl.storage.SegmentLayout;
import dev.esctl.storage.SegmentName;
import dev.esctl.storage.SegmentPreallocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Walks every byte of every segment, as fsck: segment names, headers, every frame (magic,
 * lengths, CRC), seq continuity within and across segments, the hash chain end to end
 * (including each header's previous-chain hash and each footer's last hash), version
 * continuity per stream, commit times that never go back, footers and file sizes, and the
 * end of the log against the durable checkpoint.
 *
 * <p>It is an implementation of its own, sharing only the codec with the store: it must find
 * what {@code Recovery} and the readers would miss (they never read the frames of sealed
 * segments). After damage it resynchronises where it can (at the next footer or segment
 * header), so one run reports damage in every segment, each problem once.
 *
 * <p>The end of the log is judged as {@code Recovery} judges it: bytes after the last committed
 * batch of the last segment are a torn last write (a notice: the next open cuts them) unless
 * they are proven acknowledged — the checkpoint names a later seq, or valid frames of a later,
 * forced write group follow — which is damage. Either way it is a {@link TailCut} that
 * {@code fsck --repair} may apply, unless acknowledged events follow the damage (scope LOG).
 *
 * <p>Reads only; never changes a file. Memory: one read window and the stream table (the
 * compact one the store uses), whatever the size of the log. Not thread-safe.
 */
final class LogChecker {
    private static final HexFormat HEX = HexFormat.of();

    private final DataDirectory dir;
    private final boolean live;
    private final Findings findings;
    private final IndexChecker indexes;
    private final StoreChecker.Progress progress;
    private final FrameCodec codec = new FrameCodec();
    private final StreamTable streams = new StreamTable();
    private final DurableCheckpoint.Point checkpoint;

    /** The seq the next frame must carry, and the chain hash of the one before it. */
    private long expectedSeq = 1;
    private byte[] prevHash = new byte[FrameLayout.HASH_BYTES];
    /** False after damage that could not be resynchronised: the next header is then taken at its word. */
    private boolean continuityKnown = true;
    /** False once events were skipped: versions can then only be checked to grow, not to grow by one. */
    private boolean versionsExact = true;
    private long unverifiedFrom = -1;
    private long lastTime = Long.MIN_VALUE;

    private long totalBytes;
    private long doneBytes;
    private int segmentCount;
    private long headSeq;
    private byte[] headHash = new byte[FrameLayout.HASH_BYTES];
    private long headSegmentFirstSeq;
    private long headOffset;
    private Path lastSegment;
    private TailCut tailCut;
    private boolean tailReported;

    /** The segment files to check, in seq order; null: every file in segments/. */
    private final List<Path> only;

    LogChecker(DataDirectory dir, boolean live, Findings findings, IndexChecker indexes, StoreChecker.Progress progress, List<Path> only) throws IOException {
        this.only = only;
        this.dir = dir;
        this.live = live;
        this.findings = findings;
        this.indexes = indexes;
        this.progress = progress;
        this.checkpoint = readCheckpoint(dir);
    }

    private DurableCheckpoint.Point readCheckpoint(DataDirectory dir) throws IOException {
        DurableCheckpoint.Point p = DurableCheckpoint.read(dir.checkpointFile());
        if (p == null && Files.exists(dir.checkpointFile()) && Files.size(dir.checkpointFile()) > 0) {
            findings.notice(LOG, CHECKPOINT, "checkpoint", -1, -1, "no valid slot (both checksums fail): recovery cannot tell a torn tail from damage; the next open for writing replaces it");
        }
        return p;
    }

    void run() throws IOException {
        List<Path> files = only != null ? only : listSegments();
        for (Path f : files) totalBytes += Files.size(f);
        if (indexes != null) indexes.atStart(streams);
        for (int i = 0; i < files.size(); i++) {
            checkSegment(files.get(i), i == files.size() - 1);
            segmentCount++;
        }
        if (unverifiedFrom >= 0 && indexes != null) indexes.unverified(unverifiedFrom, Long.MAX_VALUE);
        checkCheckpoint();
        progress.update(totalBytes, totalBytes);
    }

    /** Segment files in seq order; anything else in segments/ is reported (a renamed segment, a stray copy). */
    private List<Path> listSegments() throws IOException {
        List<Path> segments = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir.segmentsDir())) {
            for (Path p : s.sorted().toList()) {
                if (SegmentName.firstSeq(p) > 0 && Files.isRegularFile(p)) {
                    segments.add(p);
                } else if (!SegmentPreallocator.isSpare(p)) {
                    findings.damage(LOG, UNEXPECTED_FILE, "segments/" + p.getFileName(), -1, -1,
                            "not a segment file (segments are named by their first seq, 20 digits, then .seg): a renamed or stray file; "
                                    + "the store ignores it, so the events it holds are missing from the log");
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        segments.sort(Comparator.comparingLong(SegmentName::firstSeq));
        return segments;
    }

    /** What one segment's frame walk ended on. */
    private enum End { CLEAN, FOOTER, BAD }

    private void checkSegment(Path file, boolean last) throws IOException {
        String name = "segments/" + file.getFileName();
        long named = SegmentName.firstSeq(file);
        try (FileWindow w = new FileWindow(file)) {
            long size = w.size();
            if (last) lastSegment = file;
            // --- header
            int at = w.locate(0, SegmentLayout.HEADER_BYTES);
            SegmentHeader header = w.end() - at >= SegmentLayout.HEADER_BYTES
                    ? SegmentHeader.decode(w.buffer().slice(at, SegmentLayout.HEADER_BYTES)) : null;
            if (header == null && last && live) {
                findings.notice(TAIL, LIVE_TAIL, name, 0, -1, "no segment header yet: being created by the running daemon");
                return;
            }
            if (header == null && last && w.isZero(0, size)) {
                findings.notice(TAIL, INTERRUPTED_SEGMENT, name, 0, -1, "holds no header and no event (its creation was interrupted); the next open removes it");
                return;
            }
            long firstSeq;
            boolean headerOk = header != null;
            long endBeforeSegmentFirstSeq = headSegmentFirstSeq, endBeforeSegmentOffset = headOffset;
            if (header == null) {
                // Reported after the frame walk, when it is known whether intact events depend on it.
                // Without a header its frames are still checked, against the chain of the segments before it.
                firstSeq = named;
                if (!continuityKnown) adopt(firstSeq, null);
            } else {
                firstSeq = header.firstSeq();
                if (firstSeq != named) {
                    findings.damage(LOG, NAME_MISMATCH, name, SegmentLayout.H_FIRST_SEQ, firstSeq,
                            "the header says first seq " + firstSeq + " but the file name says " + named + " (a renamed segment?)");
                }
                if (!continuityKnown) {
                    adopt(firstSeq, header.prevChainHash());
                } else if (firstSeq > expectedSeq) {
                    findings.damage(LOG, MISSING_EVENTS, name, 0, expectedSeq, "starts at seq " + firstSeq + ", so seqs " + expectedSeq + ".." + (firstSeq - 1)
                            + " are missing: segment " + SegmentName.of(expectedSeq) + " was deleted or renamed?");
                    skipped(expectedSeq, firstSeq - 1);
                    adopt(firstSeq, header.prevChainHash());
                } else if (firstSeq < expectedSeq) {
                    findings.damage(LOG, OVERLAP, name, 0, firstSeq, "starts at seq " + firstSeq + " but the segments before it already hold seqs up to " + (expectedSeq - 1));
                    adopt(firstSeq, header.prevChainHash());
                } else if (!Arrays.equals(header.prevChainHash(), prevHash)) {
                    findings.damage(LOG, CHAIN_BROKEN, name, SegmentLayout.H_PREV_HASH, firstSeq - 1,
                            "the header's previous chain hash " + shortHex(header.prevChainHash()) + " is not the chain hash of seq " + (firstSeq - 1)
                                    + " (" + shortHex(prevHash) + "): the history before this segment differs");
                    prevHash = header.prevChainHash().clone();
                }
            }

            // --- frames
            long offset = SegmentLayout.HEADER_BYTES;
            long commitEnd = offset, commitSeq = firstSeq - 1;
            byte[] commitHash = prevHash.clone();
            int lastFlags = -1, lastTag = -1;
            long framesInSegment = 0;
            End end;
            FrameStatus bad = null;
            long badSeqHeld = -1;
            long reported = doneBytes;
            while (true) {
                if (offset >= size) {
                    end = End.CLEAN;
                    break;
                }
                at = w.locate(offset, 8);
                ByteBuffer buf = w.buffer();
                if (w.end() - at >= 4 && buf.getInt(at) == SegmentLayout.FOOTER_MAGIC) {
                    end = End.FOOTER;
                    break;
                }
                if (w.end() - at >= 8) {
                    int length = FrameCodec.length(buf, at);
                    if (length > 0 && length <= FrameLayout.MAX_FRAME_BYTES) {
                        at = w.locate(offset, length);
                        buf = w.buffer();
                    }
                }
                FrameStatus status = codec.check(buf, at, w.end());
                if (status == FrameStatus.END_OF_DATA && w.isZero(offset, size)) {
                    end = End.CLEAN;
                    break;
                }
                if (status == FrameStatus.VALID) {
                    long seq = FrameCodec.seq(buf, at);
                    if (seq != expectedSeq) {
                        status = FrameStatus.BAD_SEQ;
                        badSeqHeld = seq;
                    } else if (codec.checkInSequence(buf, at, w.end(), seq, prevHash) == FrameStatus.BAD_CHAIN) {
                        status = FrameStatus.BAD_CHAIN;
                    }
                }
                if (status != FrameStatus.VALID) {
                    bad = status;
                    end = End.BAD;
                    break;
                }
                int length = FrameCodec.length(buf, at);
                long seq = expectedSeq;
                byte[] stream = FrameCodec.streamBytes(buf, at);
                long streamHash = StreamHash.of(stream);
                long version = FrameCodec.version(buf, at);
                checkVersionAndTime(name, offset, seq, stream, streamHash, version, FrameCodec.timeMicros(buf, at));
                if (indexes != null) indexes.frame(seq, firstSeq, offset, length, buf, at, streamHash, version, streams, versionsExact);
                FrameCodec.chainHashOf(buf, at, prevHash);
                lastFlags = FrameCodec.flags(buf, at);
                lastTag = FrameCodec.groupTag(buf, at);
                offset += length;
                expectedSeq = seq + 1;
                framesInSegment++;
                if ((lastFlags & FrameLayout.FLAG_COMMIT) != 0) {
                    commitEnd = offset;
                    commitSeq = seq;
                    System.arraycopy(prevHash, 0, commitHash, 0, commitHash.length);
                }
                if (doneBytes + offset - reported > (64L << 20)) {
                    progress.update(doneBytes + offset, totalBytes);
                    reported = doneBytes + offset;
                }
            }
            if (indexes != null) indexes.segmentEnd(firstSeq);

            // --- how the segment ends
            switch (end) {
                case FOOTER -> checkFooter(w, name, file, last, firstSeq, offset, size, lastFlags, commitEnd, commitSeq, commitHash);
                case CLEAN -> {
                    if (!last) {
                        findings.damage(LOG, NOT_SEALED, name, offset, expectedSeq, "it is not the last segment, but no footer follows its last frame (seq "
                                + (expectedSeq - 1) + "): it was never sealed, or it was cut short");
                        setHead(expectedSeq - 1, prevHash, firstSeq, offset);
                    } else {
                        endOfActiveSegment(file, name, firstSeq, offset, size, commitEnd, commitSeq, commitHash);
                    }
                }
                case BAD -> {
                    String what = bad == FrameStatus.BAD_SEQ ? "the frame holds seq " + badSeqHeld + " where seq " + expectedSeq + " belongs"
                            : bad == FrameStatus.BAD_CHAIN ? "the chain hash does not follow from the previous event's (an event was changed, removed or inserted)"
                            : bad.description();
                    if (!last) {
                        damagedSealed(w, name, firstSeq, offset, size, what);
                    } else {
                        damagedTail(w, file, name, firstSeq, offset, size, what, lastFlags, lastTag, commitEnd, commitSeq, commitHash);
                    }
                }
            }
            if (!headerOk) {
                String what = size < SegmentLayout.HEADER_BYTES ? "only " + size + " bytes, shorter than a segment header (" + SegmentLayout.HEADER_BYTES + ")"
                        : "the segment header is damaged (magic, version or checksum)";
                if (last && framesInSegment == 0) {
                    // Nothing in it can be kept: the cut takes the whole file, and the log ends where the segment before it ends.
                    long prevEnd = firstSeq - 1;
                    boolean acked = ackedBeyond(prevEnd);
                    findings.add(new Problem(acked ? Problem.Severity.DAMAGE : Problem.Severity.NOTICE, TAIL, BAD_HEADER, name, 0, named,
                            what + " and no valid event follows" + (acked ? "; the checkpoint says seq " + checkpoint.seq() + " was durable: acknowledged events are lost" : "")
                                    + "; --repair moves the file to quarantine/"));
                    setHead(prevEnd, prevHash, endBeforeSegmentFirstSeq, endBeforeSegmentOffset);
                    tailReported = true;
                    tailCut = new TailCut(file, 0, size, prevEnd, headHash.clone(), endBeforeSegmentFirstSeq, endBeforeSegmentOffset, prevEnd + 1, acked);
                } else {
                    findings.damage(LOG, BAD_HEADER, name, 0, named, what + (framesInSegment > 0 ? "; the " + framesInSegment + " events after it are intact, but the store cannot open the segment" : ""));
                }
            }
            doneBytes += size;
            progress.update(doneBytes, totalBytes);
        }
    }

    /** The checkpoint says events after {@code seq} were forced: they were acknowledged. */
    private boolean ackedBeyond(long seq) {
        return checkpoint != null && checkpoint.seq() > seq;
    }

    private void checkVersionAndTime(String name, long offset, long seq, byte[] stream, long hash, long version, long time) {
        long last = streams.lastVersion(stream, hash);
        if (versionsExact ? version != last + 1 : version <= last) {
            findings.damage(LOG, VERSION_GAP, name, offset, seq, "stream \"" + new String(stream, StandardCharsets.UTF_8) + "\" goes from version " + last + " to " + version);
        }
        if (version > last) streams.advance(stream, hash, version, seq);
        if (time < lastTime) {
            findings.damage(LOG, TIME_BACKWARDS, name, offset, seq, "commit time " + time + " µs is before the previous event's (" + lastTime + " µs)");
        }
        lastTime = Math.max(lastTime, time);
    }

    private void checkFooter(FileWindow w, String name, Path file, boolean last, long firstSeq, long offset, long size,
                             int lastFlags, long commitEnd, long commitSeq, byte[] commitHash) throws IOException {
        int at = w.locate(offset, SegmentLayout.FOOTER_BYTES);
        SegmentFooter footer = w.end() - at >= SegmentLayout.FOOTER_BYTES ? SegmentFooter.decode(w.buffer().slice(at, SegmentLayout.FOOTER_BYTES)) : null;
        if (footer == null) {
            if (last) {
                tailDamage(file, name, offset, firstSeq, commitEnd, commitSeq, commitHash, size, "the footer is damaged (magic, length or checksum)");
            } else {
                findings.damage(LOG, BAD_FOOTER, name, offset, -1, "the footer is damaged (magic, length or checksum)");
                setHead(expectedSeq - 1, prevHash, firstSeq, offset);
            }
            return;
        }
        if (footer.firstSeq() != firstSeq || footer.lastSeq() != expectedSeq - 1) {
            findings.damage(LOG, BAD_FOOTER, name, offset, -1, "the footer says seqs " + footer.firstSeq() + ".." + footer.lastSeq()
                    + " but the segment's frames hold " + firstSeq + ".." + (expectedSeq - 1));
        } else if (!Arrays.equals(footer.lastChainHash(), prevHash)) {
            findings.damage(LOG, CHAIN_BROKEN, name, offset + SegmentLayout.F_LAST_HASH, footer.lastSeq(),
                    "the footer's last chain hash is not the chain hash of the segment's last event");
        }
        if (lastFlags >= 0 && (lastFlags & FrameLayout.FLAG_COMMIT) == 0) {
            findings.damage(LOG, NOT_SEALED, name, offset, expectedSeq - 1, "sealed inside a batch: its last event (seq " + (expectedSeq - 1) + ") does not end a batch");
        }
        long end = offset + SegmentLayout.FOOTER_BYTES;
        if (size != end) {
            if (last) {
                tailDamage(file, name, end, firstSeq, end, expectedSeq - 1, prevHash.clone(), size,
                        (size - end) + " bytes follow the footer (a sealed segment ends with its footer)");
            } else {
                findings.damage(LOG, BAD_SIZE, name, end, -1, "the file has " + size + " bytes but ends with its footer at byte " + end
                        + ": " + (size - end) + " bytes follow the footer");
            }
        }
        setHead(expectedSeq - 1, prevHash, firstSeq, offset);
    }

    /** The last segment ends cleanly at {@code offset} (end of file, or zeros): anything after its last batch is a torn write. */
    private void endOfActiveSegment(Path file, String name, long firstSeq, long offset, long size, long commitEnd, long commitSeq, byte[] commitHash) {
        setHead(commitSeq, commitHash, firstSeq, commitEnd);
        if (offset == commitEnd) return;
        String events = "seqs " + (commitSeq + 1) + ".." + (expectedSeq - 1);
        if (live) {
            findings.notice(TAIL, LIVE_TAIL, name, commitEnd, commitSeq + 1, "an unfinished batch (" + events + ") after the last committed one: being written by the running daemon");
            return;
        }
        boolean acked = ackedBeyond(commitSeq);
        tailReported = true;
        tailCut = new TailCut(file, commitEnd, size - commitEnd, commitSeq, commitHash.clone(), firstSeq, commitEnd, commitSeq + 1, acked);
        if (acked) {
            findings.damage(TAIL, TORN_TAIL, name, commitEnd, commitSeq + 1, "the last batch is incomplete (" + events + " have no commit frame), yet the checkpoint says seq "
                    + checkpoint.seq() + " was durable: acknowledged events are lost; --repair cuts the log back to seq " + commitSeq);
        } else {
            findings.notice(TAIL, TORN_TAIL, name, commitEnd, commitSeq + 1, "an unfinished batch (" + events + ") after the last committed one: the last write before a crash, "
                    + "never acknowledged; the next open cuts it (--repair moves it to quarantine/ now)");
        }
    }

    /** A bad frame in a sealed segment: report, then pick up the chain again from its footer. */
    private void damagedSealed(FileWindow w, String name, long firstSeq, long offset, long size, String what) throws IOException {
        SegmentFooter footer = null;
        if (size >= SegmentLayout.HEADER_BYTES + SegmentLayout.FOOTER_BYTES) {
            int at = w.locate(size - SegmentLayout.FOOTER_BYTES, SegmentLayout.FOOTER_BYTES);
            if (w.end() - at >= SegmentLayout.FOOTER_BYTES) footer = SegmentFooter.decode(w.buffer().slice(at, SegmentLayout.FOOTER_BYTES));
        }
        boolean resync = footer != null && footer.firstSeq() == firstSeq && footer.lastSeq() >= expectedSeq - 1;
        findings.damage(LOG, BAD_FRAME, name, offset, expectedSeq, what + (resync ? "; events " + expectedSeq + ".." + footer.lastSeq() + " of this segment cannot be trusted"
                : "; the footer is unreadable too, so the rest of the segment cannot be placed"));
        if (resync) {
            skipped(expectedSeq, footer.lastSeq());
            expectedSeq = footer.lastSeq() + 1;
            prevHash = footer.lastChainHash().clone();
            setHead(footer.lastSeq(), prevHash, firstSeq, size - SegmentLayout.FOOTER_BYTES);
        } else {
            lostSync();
        }
    }

    /**
     * A bad frame in the last segment. Like {@code Recovery}: unless the checkpoint or a valid
     * later frame proves the bad frame's write was acknowledged, it is a torn last write (a
     * notice); otherwise acknowledged events are damaged. When whole valid batches follow the
     * damaged one, a cut would throw intact, acknowledged events away: scope LOG, which
     * --repair refuses. (The damaged frame's own commit bit is unreadable, so "the damaged
     * batch" ends at the first later commit frame: should the damaged frame itself have ended
     * its batch, a repair would cut one intact batch more — into quarantine/, not away.)
     */
    private void damagedTail(FileWindow w, Path file, String name, long firstSeq, long offset, long size, String what,
                             int lastFlags, int lastTag, long commitEnd, long commitSeq, byte[] commitHash) throws IOException {
        if (live) {
            setHead(commitSeq, commitHash, firstSeq, commitEnd);
            findings.notice(TAIL, LIVE_TAIL, name, commitEnd, commitSeq + 1, (size - commitEnd) + " bytes after the last committed batch were being written by the running daemon (not checked: "
                    + what + " at offset " + offset + ")");
            return;
        }
        Later later = findLater(w, offset, expectedSeq - 1, lastFlags, lastTag, size);
        if (later != null && later.laterBatches && (later.proves || ackedBeyond(commitSeq))) {
            setHead(commitSeq, commitHash, firstSeq, commitEnd);
            findings.damage(LOG, BAD_FRAME, name, offset, expectedSeq, what + "; valid batches follow (from seq " + later.seq + " at offset " + later.offset
                    + "), so this is not a torn last write: acknowledged events are damaged, and cutting here would throw away the intact ones after it");
            skipped(expectedSeq, Long.MAX_VALUE);
            tailReported = true;
            return;
        }
        // Nothing valid follows, or only the rest of the damaged (last) batch, which a batch's
        // atomicity loses with it — or what follows does not prove the write was acknowledged.
        String rest = later == null ? "" : "; only the rest of the last batch follows (from seq " + later.seq + ")";
        tailDamage(file, name, offset, firstSeq, commitEnd, commitSeq, commitHash, size, what + rest);
    }

    /** Damage confined to the end of the last segment: a cut back to the last good batch removes it. */
    private void tailDamage(Path file, String name, long offset, long firstSeq, long commitEnd, long commitSeq, byte[] commitHash, long size, String what) {
        setHead(commitSeq, commitHash, firstSeq, commitEnd);
        if (live) {
            findings.notice(TAIL, LIVE_TAIL, name, offset, commitSeq + 1, "being written by the running daemon (not judged: " + what + ")");
            return;
        }
        boolean acked = ackedBeyond(commitSeq);
        tailReported = true;
        tailCut = new TailCut(file, commitEnd, size - commitEnd, commitSeq, commitHash.clone(), firstSeq, commitEnd, commitSeq + 1, acked);
        if (acked) {
            findings.damage(TAIL, BAD_FRAME, name, offset, commitSeq + 1, what + "; the checkpoint says seq " + checkpoint.seq()
                    + " was durable: acknowledged events are damaged; --repair cuts the log back to seq " + commitSeq + " (the cut bytes go to quarantine/)");
        } else {
            findings.notice(TAIL, TORN_TAIL, name, offset, commitSeq + 1, what + "; nothing proves it was acknowledged: the last write before a crash; "
                    + "the next open cuts it (--repair moves it to quarantine/ now)");
        }
    }

    /**
     * The valid frames after a bad one: the first ({@code offset}, {@code seq}); whether one
     * of them proves the bad frame's write was acknowledged; and whether valid frames follow the
     * first later commit frame, i.e. whole batches after the damaged one.
     */
    private record Later(long offset, long seq, boolean proves, boolean laterBatches) {}

    /**
     * Scans for valid frames (seq beyond {@code lastValidSeq}) after a bad one. Proof that the
     * bad frame's write group was acknowledged is the rule of {@code Recovery.damageOrTornTail},
     * so fsck and open never disagree: a valid later frame of a different group, when the bad
     * frame's group was forced before the next was written. Returns null when none follows.
     */
    private Later findLater(FileWindow w, long badOffset, long lastValidSeq, int lastFlags, int lastTag, long size) throws IOException {
        Integer badGroupTag = lastTag < 0 ? null : (lastFlags & FrameLayout.FLAG_GROUP_END) != 0 ? (lastTag + 1) & 0xFFFF : lastTag;
        boolean forced = lastTag >= 0 && (lastFlags & FrameLayout.FLAG_FORCED_GROUP) != 0;
        Integer firstLaterTag = null;
        long firstOffset = -1, firstSeq = -1, firstCommitSeq = -1;
        boolean proves = false, laterBatches = false;
        for (long p = badOffset + 1; p + FrameLayout.MIN_FRAME_BYTES <= size; p++) {
            int at = w.locate(p, 8);
            ByteBuffer buf = w.buffer();
            if (w.end() - at < 8 || buf.getInt(at) != FrameLayout.MAGIC) continue;
            int length = FrameCodec.length(buf, at);
            if (length < FrameLayout.MIN_FRAME_BYTES || length > FrameLayout.MAX_FRAME_BYTES || p + length > size) continue;
            at = w.locate(p, length);
            buf = w.buffer();
            long seq = FrameCodec.seq(buf, at);
            if (codec.check(buf, at, w.end()) != FrameStatus.VALID || seq <= lastValidSeq) continue;
            int tag = FrameCodec.groupTag(buf, at);
            int flags = FrameCodec.flags(buf, at);
            if (badGroupTag != null) {
                proves |= forced && tag != badGroupTag;
            } else {
                proves |= (flags & FrameLayout.FLAG_FORCED_GROUP) != 0 && firstLaterTag != null && tag != firstLaterTag;
                if (firstLaterTag == null) firstLaterTag = tag;
            }
            if (firstOffset < 0) {
                firstOffset = p;
                firstSeq = seq;
            }
            if (firstCommitSeq >= 0 && seq > firstCommitSeq) laterBatches = true;
            if (firstCommitSeq < 0 && (flags & FrameLayout.FLAG_COMMIT) != 0) firstCommitSeq = seq;
            p += length - 1;
        }
        return firstOffset < 0 ? null : new Later(firstOffset, firstSeq, proves, laterBatches);
    }

    /** The checkpoint claims more than the log holds, and nothing at the tail explained it (the last segment is gone). */
    private void checkCheckpoint() {
        if (live || checkpoint == null || checkpoint.seq() <= headSeq || tailReported) return;
        String missing = checkpoint.segmentFirstSeq() > headSeq && !Files.exists(dir.segmentFile(checkpoint.segmentFirstSeq()))
                ? "segment " + SegmentName.of(checkpoint.segmentFirstSeq()) + ", which it names, is missing (deleted or renamed?)" : "the last segment was cut short?";
        findings.damage(TAIL, CHECKPOINT, "checkpoint", -1, headSeq + 1, "the durable checkpoint says seq " + checkpoint.seq() + " was on disk, but the log ends at seq "
                + headSeq + ": acknowledged events are missing; " + missing + "; --repair accepts the loss and resets the checkpoint");
        tailCut = new TailCut(lastSegment, -1, 0, headSeq, headHash.clone(), headSegmentFirstSeq, headOffset, headSeq + 1, true);
    }

    private void setHead(long seq, byte[] hash, long segmentFirstSeq, long offset) {
        headSeq = seq;
        headHash = hash.clone();
        headSegmentFirstSeq = segmentFirstSeq;
        headOffset = offset;
    }

    /** Seqs that were not walked: versions after them can only be checked to grow, and indexes over them cannot be checked. */
    private void skipped(long from, long to) {
        versionsExact = false;
        if (indexes != null) indexes.unverified(from, to);
    }

    private void lostSync() {
        continuityKnown = false;
        versionsExact = false;
        unverifiedFrom = expectedSeq;
    }

    /** Takes the next segment's header at its word after damage that could not be resynchronised. */
    private void adopt(long firstSeq, byte[] prevChainHash) {
        if (!continuityKnown && unverifiedFrom >= 0 && indexes != null) indexes.unverified(unverifiedFrom, firstSeq - 1);
        unverifiedFrom = -1;
        continuityKnown = true;
        expectedSeq = firstSeq;
        if (prevChainHash != null) prevHash = prevChainHash.clone();
        versionsExact = false;
    }

    static String shortHex(byte[] hash) {
        return HEX.formatHex(hash, 0, 8) + "…";
    }

    int segmentCount() { return segmentCount; }
    long segmentBytes() { return totalBytes; }
    long headSeq() { return headSeq; }
    byte[] headHash() { return headHash.clone(); }
    TailCut tailCut() { return tailCut; }
    boolean versionsExact() { return versionsExact; }
}
