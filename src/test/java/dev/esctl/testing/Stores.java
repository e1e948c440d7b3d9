package dev.esctl.testing;

import dev.esctl.engine.EventReader;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.ReadQuery;
import dev.esctl.storage.EventRecord;
import dev.esctl.wire.EventWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** What tests compare stores by: the ndjson a read prints, and the bytes of every file. */
public final class Stores {
    private Stores() {}

    /** The ndjson lines {@code esctl read} would print for the query, as bytes. */
    public static byte[] ndjson(EventStore store, ReadQuery query) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventWriter writer = new EventWriter(out);
        try (EventReader r = store.read(query)) {
            for (EventRecord e; (e = r.next()) != null; ) writer.write(e);
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The first {@code limit} events in global order, as ndjson. */
    public static byte[] firstEvents(EventStore store, long limit) {
        return ndjson(store, ReadQuery.all().limit(limit));
    }

    /** Every file under {@code dir} with the SHA-256 of its content, one line each, sorted: equal strings, equal trees. */
    public static String treeDigest(Path dir) throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted().toList()) {
                if (!Files.isRegularFile(p)) continue;
                b.append(dir.relativize(p)).append(' ').append(sha256(Files.readAllBytes(p))).append('\n');
            }
        }
        return b.toString();
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Names of the entries directly in {@code dir}. */
    public static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
