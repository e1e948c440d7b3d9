package dev.esctl.snapshot;

import dev.esctl.storage.LogHead;
import dev.esctl.storage.Segment;
import dev.esctl.storage.SegmentLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A consistent cut of a live log: the files and byte counts that hold exactly the events of
 * one {@link LogHead}. Every segment before the last is sealed, hence immutable: it is taken
 * whole. The last segment is taken up to where the head's committed bytes end — later appends
 * only add bytes after that point, so the cut needs no lock and never stops the writer.
 *
 * <p>The last segment's {@code Segment} object may have been sealed since the head was
 * published (sealing mutates it); then, if its footer names the head's seq, nothing was added
 * and the sealed file is taken whole, footer included, else only the head's bytes. Immutable.
 */
public record SnapshotCut(LogHead head, long cutTimeMicros, List<Part> parts) {

    /** One file of the cut: {@code length} bytes from the start of {@code file}, stored as {@code name}. */
    public record Part(Path file, String name, long length) {}

    public static SnapshotCut of(LogHead head, long cutTimeMicros) {
        List<Segment> segments = head.segments();
        List<Part> parts = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            boolean last = i == segments.size() - 1;
            long length;
            if (!last) {
                assert s.isSealed() : "segment " + s + " is not the last of the head but is not sealed";
                length = s.sealedDataEnd() + SegmentLayout.FOOTER_BYTES;
            } else if (s.isSealed() && s.sealedLastSeq() == head.seq()) {
                length = s.sealedDataEnd() + SegmentLayout.FOOTER_BYTES;
            } else {
                length = head.activeEnd();
            }
            parts.add(new Part(s.path(), SnapshotWriter.SEGMENTS_DIR + s.path().getFileName(), length));
        }
        return new SnapshotCut(head, cutTimeMicros, List.copyOf(parts));
    }

    public long totalBytes() {
        long total = 0;
        for (Part p : parts) total += p.length();
        return total;
    }
}
