package dev.esctl.snapshot;

import dev.esctl.storage.SegmentName;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.OutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads a snapshot (the format is drawn in {@link SnapshotWriter}) from a stream, in one pass,
 * handing each segment's bytes to a {@link Sink} and verifying everything: the entries, their
 * order and names (only {@code snapshot.json}, {@code segments/}, segment files and
 * {@code manifest.json}, so nothing can be unpacked outside the target), each file's length and
 * SHA-256 against the manifest, and that the manifest describes the same cut as
 * {@code snapshot.json}. Any failure is a {@link BadSnapshotException} saying what is wrong;
 * what the sink received must then be thrown away — the manifest comes last, so only the end
 * of the stream proves the bytes before it.
 *
 * <p>After the manifest the rest of the stream (tar padding) is read to its end, so a caller
 * that copies the stream as it is read copies all of it. Not thread-safe; one per stream.
 */
public final class SnapshotReader {
    private static final int COPY_BYTES = 1 << 20;
    /** Segment files are at most 1 GiB plus one group; anything near 2 GiB is not a segment. */
    private static final long MAX_SEGMENT_BYTES = Integer.MAX_VALUE;

    /** Receives the files of a snapshot as they are read. */
    public interface Sink {
        /** A discarding sink: for verifying a snapshot without unpacking it. */
        Sink NONE = new Sink() {
            @Override public void begin(String name, long length) {}
            @Override public void write(byte[] b, int off, int len) {}
            @Override public void end() {}
        };

        /** A file {@code name} ({@code segments/<first seq>.seg}) of {@code length} bytes begins. */
        void begin(String name, long length) throws IOException;

        void write(byte[] b, int off, int len) throws IOException;

        /** The current file is complete (its hash is checked only at the manifest). */
        void end() throws IOException;
    }

    private SnapshotReader() {}

    /**
     * Copies a snapshot byte for byte from {@code in} to {@code out} while reading and verifying
     * it as {@link #read} does (a download from a daemon: a response cut short lacks the manifest).
     */
    public static SnapshotManifest copy(InputStream in, OutputStream out, SnapshotWriter.Progress progress) throws IOException {
        InputStream tee = new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) out.write(b);
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) out.write(b, off, n);
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                // Skipped bytes must be copied too: read them instead.
                byte[] sink = new byte[(int) Math.min(n, 64 * 1024)];
                int r = read(sink, 0, sink.length);
                return Math.max(r, 0);
            }
        };
        return read(tee, Sink.NONE, progress);
    }

    /** Reads and verifies the whole snapshot; returns its manifest. */
    public static SnapshotManifest read(InputStream in, Sink sink, SnapshotWriter.Progress progress) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
        String current = "the start";
        try {
            TarArchiveEntry first = next(tar, current);
            if (first == null) throw new BadSnapshotException("the file is empty: not an esctl snapshot");
            if (!first.getName().equals(SnapshotWriter.PREAMBLE) || !first.isFile()) {
                throw new BadSnapshotException("not an esctl snapshot: its first entry is " + first.getName() + ", not " + SnapshotWriter.PREAMBLE);
            }
            current = SnapshotWriter.PREAMBLE;
            byte[] preambleJson = small(tar, first);
            SnapshotManifest preamble = SnapshotManifest.parse(preambleJson, SnapshotWriter.PREAMBLE, false);
            Map<String, String> computed = new HashMap<>();
            computed.put(SnapshotWriter.PREAMBLE, HexFormat.of().formatHex(SnapshotWriter.sha256().digest(preambleJson)));
            Map<String, Long> lengths = new HashMap<>();
            lengths.put(SnapshotWriter.PREAMBLE, (long) preambleJson.length);
            List<String> expected = new ArrayList<>();
            for (SnapshotManifest.FileEntry f : preamble.files()) {
                if (!isSegmentName(f.name())) throw new BadSnapshotException(SnapshotWriter.PREAMBLE + " lists " + f.name() + ", which is not a segment file");
                if (f.length() > MAX_SEGMENT_BYTES) throw new BadSnapshotException(SnapshotWriter.PREAMBLE + " gives " + f.name() + " an impossible length " + f.length());
                expected.add(f.name());
            }
            long total = preamble.segmentBytes(), done = 0;
            int nextExpected = 0;
            byte[] buffer = new byte[COPY_BYTES];
            MessageDigest sha = SnapshotWriter.sha256();
            SnapshotManifest manifest = null;
            boolean sawDir = false;
            for (TarArchiveEntry e; (e = next(tar, current)) != null; ) {
                String name = e.getName();
                if (name.equals(SnapshotWriter.SEGMENTS_DIR) && e.isDirectory() && !sawDir && nextExpected == 0) {
                    sawDir = true;
                    continue;
                }
                if (name.equals(SnapshotWriter.MANIFEST) && e.isFile()) {
                    current = SnapshotWriter.MANIFEST;
                    manifest = SnapshotManifest.parse(small(tar, e), SnapshotWriter.MANIFEST, true);
                    if (next(tar, current) != null) throw new BadSnapshotException("entries follow " + SnapshotWriter.MANIFEST + ", which must be the last: the file was altered");
                    break;
                }
                if (!e.isFile() || !isSegmentName(name)) {
                    throw new BadSnapshotException("unexpected entry " + name + " after " + current + ": not an esctl snapshot, or it was altered");
                }
                if (nextExpected >= expected.size() || !expected.get(nextExpected).equals(name)) {
                    throw new BadSnapshotException("entry " + name + " is not the next file " + SnapshotWriter.PREAMBLE + " lists"
                            + (nextExpected < expected.size() ? " (" + expected.get(nextExpected) + ")" : " (it lists no more)"));
                }
                long length = preamble.files().get(nextExpected).length();
                if (e.getSize() != length) throw new BadSnapshotException(name + " holds " + e.getSize() + " bytes, " + SnapshotWriter.PREAMBLE + " says " + length);
                nextExpected++;
                current = name;
                sink.begin(name, length);
                long left = length;
                while (left > 0) {
                    int n = tar.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) throw new BadSnapshotException("the snapshot ends inside " + name + ": the file is truncated");
                    sha.update(buffer, 0, n);
                    sink.write(buffer, 0, n);
                    left -= n;
                    done += n;
                    progress.update(done, total);
                }
                sink.end();
                computed.put(name, HexFormat.of().formatHex(sha.digest()));
                lengths.put(name, length);
            }
            if (manifest == null) {
                throw new BadSnapshotException("the snapshot has no " + SnapshotWriter.MANIFEST + " (it comes last): the file is incomplete — truncated, or its writer was stopped"
                        + (nextExpected < expected.size() ? " (it ends after " + current + ")" : ""));
            }
            if (nextExpected < expected.size()) throw new BadSnapshotException(expected.get(nextExpected) + " is listed but missing from the snapshot");
            verify(preamble, manifest, computed, lengths);
            drain(in);
            return manifest;
        } catch (EOFException e) {
            throw new BadSnapshotException("the snapshot ends inside " + current + ": the file is truncated", e);
        } catch (IOException e) {
            if (isTruncation(e)) {
                throw new BadSnapshotException("the snapshot ends inside " + current + ": the file is truncated", e);
            }
            throw e;
        }
    }

    private static void verify(SnapshotManifest preamble, SnapshotManifest manifest, Map<String, String> computed, Map<String, Long> lengths) {
        if (!manifest.sameCut(preamble)) {
            throw new BadSnapshotException(SnapshotWriter.MANIFEST + " describes another cut than " + SnapshotWriter.PREAMBLE + " (seq " + manifest.cutSeq()
                    + " vs " + preamble.cutSeq() + "): the file was altered");
        }
        if (manifest.files().size() != computed.size()) {
            throw new BadSnapshotException(SnapshotWriter.MANIFEST + " lists " + manifest.files().size() + " files, the snapshot holds " + computed.size());
        }
        for (SnapshotManifest.FileEntry f : manifest.files()) {
            String sha = computed.get(f.name());
            if (sha == null) throw new BadSnapshotException(SnapshotWriter.MANIFEST + " lists " + f.name() + ", which the snapshot does not hold");
            if (f.length() != lengths.get(f.name())) {
                throw new BadSnapshotException(f.name() + " holds " + lengths.get(f.name()) + " bytes, " + SnapshotWriter.MANIFEST + " says " + f.length());
            }
            if (!sha.equals(f.sha256())) {
                throw new BadSnapshotException(f.name() + ": its SHA-256 is not the one in " + SnapshotWriter.MANIFEST + ": the snapshot is damaged or was altered");
            }
        }
    }

    private static TarArchiveEntry next(TarArchiveInputStream tar, String after) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (IOException e) {
            if (isTruncation(e)) throw e;
            throw new BadSnapshotException("the snapshot has a damaged tar header after " + after + " (" + e.getMessage() + "): not an esctl snapshot, or it was altered", e);
        } catch (IllegalArgumentException e) {
            throw new BadSnapshotException("the snapshot has a damaged tar header after " + after + " (" + e.getMessage() + ")", e);
        }
    }

    /** Commons Compress says "Truncated TAR archive" or "premature end of tar archive" when the bytes run out. */
    private static boolean isTruncation(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return e instanceof EOFException || m.contains("truncated") || m.contains("premature end");
    }

    private static byte[] small(TarArchiveInputStream tar, TarArchiveEntry e) throws IOException {
        if (e.getSize() > SnapshotManifest.MAX_JSON_BYTES) throw new BadSnapshotException(e.getName() + " is " + e.getSize() + " bytes, too large for a snapshot description");
        byte[] b = tar.readNBytes((int) e.getSize());
        if (b.length != e.getSize()) throw new EOFException();
        return b;
    }

    /** segments/NNNNNNNNNNNNNNNNNNNN.seg, nothing else (no directories, no "..", no absolute paths). */
    static boolean isSegmentName(String name) {
        if (!name.startsWith(SnapshotWriter.SEGMENTS_DIR)) return false;
        String file = name.substring(SnapshotWriter.SEGMENTS_DIR.length());
        return file.matches("[0-9]{20}\\" + SegmentName.SUFFIX) && !file.equals(SegmentName.of(0));
    }

    private static void drain(InputStream in) throws IOException {
        byte[] b = new byte[64 * 1024];
        while (in.read(b) >= 0) { /* tar padding after the end-of-archive blocks */ }
    }
}
