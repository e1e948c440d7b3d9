package dev.esctl.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * What a snapshot holds, as JSON: the cut (format version, cut seq, head hash, the time of the
 * last event and of the cut) and every file with its length and, once known, its SHA-256.
 * The same record is written twice into a snapshot (see {@link SnapshotWriter}): first as
 * {@code snapshot.json} without hashes, last as {@code manifest.json} with them.
 *
 * <pre>
 * {
 *   "format": "esctl-snapshot",
 *   "formatVersion": 1,
 *   "cutSeq": 15000,
 *   "headHash": "3fa2…(64 hex digits)",
 *   "headTime": "2026-11-26T05:00:00.123456Z",
 *   "cutTime": "2026-11-26T05:00:01.000000Z",
 *   "files": [
 *     {"name": "snapshot.json", "length": 412, "sha256": "…"},
 *     {"name": "segments/00000000000000000001.seg", "length": 268435456, "sha256": "…"}
 *   ]
 * }
 * </pre>
 *
 * Parsing is strict about what restore relies on (format, version, names, lengths, hashes) and
 * ignores fields it does not know, so a later minor addition does not break older readers.
 * Immutable.
 */
public record SnapshotManifest(int formatVersion, long cutSeq, byte[] headHash, long headTimeMicros, long cutTimeMicros, List<FileEntry> files) {
    public static final String FORMAT = "esctl-snapshot";
    public static final int FORMAT_VERSION = 1;
    /** A file line takes about 150 bytes: room for some 400,000 segments (100 TB of default-sized ones). */
    static final int MAX_JSON_BYTES = 64 * 1024 * 1024;

    private static final HexFormat HEX = HexFormat.of();
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxStringLength(4096).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** One file of the snapshot; {@code sha256} (hex) is null where it is not known yet. */
    public record FileEntry(String name, long length, String sha256) {}

    public String headHashHex() {
        return HEX.formatHex(headHash);
    }

    public long segmentBytes() {
        long total = 0;
        for (FileEntry f : files) if (f.name().startsWith(SnapshotWriter.SEGMENTS_DIR)) total += f.length();
        return total;
    }

    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeNumberField("formatVersion", formatVersion);
            g.writeNumberField("cutSeq", cutSeq);
            g.writeStringField("headHash", headHashHex());
            g.writeStringField("headTime", time(headTimeMicros));
            g.writeStringField("cutTime", time(cutTimeMicros));
            g.writeArrayFieldStart("files");
            for (FileEntry f : files) {
                g.writeStartObject();
                g.writeStringField("name", f.name());
                g.writeNumberField("length", f.length());
                if (f.sha256() != null) g.writeStringField("sha256", f.sha256());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory failed", e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /**
     * Parses {@code json} (the entry {@code what} of a snapshot).
     *
     * @param withHashes every file must carry a SHA-256 (manifest.json) or none may (snapshot.json)
     */
    public static SnapshotManifest parse(byte[] json, String what, boolean withHashes) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw bad(what, "is not a JSON object");
            String format = null;
            int version = -1;
            long cutSeq = -1, headTime = -1, cutTime = -1;
            byte[] headHash = null;
            List<FileEntry> files = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "format" -> format = p.getValueAsString();
                    case "formatVersion" -> version = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                    case "cutSeq" -> cutSeq = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                    case "headHash" -> headHash = hash(p.getValueAsString(), what, "headHash");
                    case "headTime" -> headTime = micros(p.getValueAsString(), what, "headTime");
                    case "cutTime" -> cutTime = micros(p.getValueAsString(), what, "cutTime");
                    case "files" -> files = files(p, t, what, withHashes);
                    default -> p.skipChildren();
                }
            }
            if (!FORMAT.equals(format)) throw bad(what, "is not an esctl snapshot description (format is " + (format == null ? "missing" : "\"" + format + "\"") + ")");
            if (version != FORMAT_VERSION) {
                throw bad(what, version > FORMAT_VERSION ? "has snapshot format version " + version + ", newer than this esctl reads (" + FORMAT_VERSION + "): use a newer esctl"
                        : "has no valid formatVersion");
            }
            if (cutSeq < 0) throw bad(what, "has no valid cutSeq");
            if (headHash == null) throw bad(what, "has no headHash");
            if (headTime < 0 || cutTime < 0) throw bad(what, "has no headTime or cutTime");
            if (files == null) throw bad(what, "has no list of files");
            return new SnapshotManifest(version, cutSeq, headHash, headTime, cutTime, files);
        } catch (IOException e) {
            throw bad(what, "is not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    private static List<FileEntry> files(JsonParser p, JsonToken t, String what, boolean withHashes) throws IOException {
        if (t != JsonToken.START_ARRAY) throw bad(what, "has a \"files\" that is not a list");
        List<FileEntry> files = new ArrayList<>();
        Set<String> names = new HashSet<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String name = null, sha = null;
            long length = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "name" -> name = p.getValueAsString();
                    case "length" -> length = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                    case "sha256" -> sha = p.getValueAsString();
                    default -> p.skipChildren();
                }
            }
            if (name == null || length < 0) throw bad(what, "lists a file without a name or length");
            if (!names.add(name)) throw bad(what, "lists " + name + " twice");
            if (withHashes && (sha == null || !sha.matches("[0-9a-f]{64}"))) throw bad(what, "has no valid sha256 for " + name);
            if (!withHashes && sha != null) throw bad(what, "has a sha256 for " + name + " (only manifest.json carries them)");
            files.add(new FileEntry(name, length, sha));
        }
        return List.copyOf(files);
    }

    private static byte[] hash(String hex, String what, String field) {
        if (hex == null || !hex.matches("[0-9a-f]{64}")) throw bad(what, "has a " + field + " that is not 64 hex digits");
        return HEX.parseHex(hex);
    }

    private static long micros(String s, String what, String field) {
        try {
            Instant i = Instant.parse(s);
            return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
        } catch (DateTimeParseException | NullPointerException e) {
            throw bad(what, "has a " + field + " that is not an RFC 3339 time");
        }
    }

    static String time(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L).toString();
    }

    private static BadSnapshotException bad(String what, String problem) {
        return new BadSnapshotException(what + " " + problem);
    }

    /** The same cut and files (names and lengths) as {@code other}, hashes aside. */
    boolean sameCut(SnapshotManifest other) {
        return formatVersion == other.formatVersion && cutSeq == other.cutSeq && java.util.Arrays.equals(headHash, other.headHash)
                && headTimeMicros == other.headTimeMicros && cutTimeMicros == other.cutTimeMicros;
    }
}
