package dev.esctl.snapshot;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.testing.Esctl;
import dev.esctl.testing.ServerProcess;
import dev.esctl.testing.Stores;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real launcher and daemon: snapshots taken while four clients append over HTTP — streamed
 * from the daemon (--server) and read from its data directory (--data) — restore with the CLI to
 * exactly the source's first cut-seq events (same `esctl read` bytes, same head hash), and fsck
 * finds the restored stores clean; a snapshot piped through stdout restores from stdin; a
 * truncated one is refused with exit 7 and leaves nothing behind.
 */
class SnapshotIT {
    private static final Pattern CUT = Pattern.compile("snapshot at cut seq (\\d+) \\(head hash ([0-9a-f]{64})\\)");

    @TempDir Path tmp;

    private record Cut(long seq, String hash) {}

    private static Cut cutOf(Esctl.Result r) {
        Matcher m = CUT.matcher(r.stderr());
        assertTrue(m.find(), "snapshot reports its cut: " + r.stderr());
        return new Cut(Long.parseLong(m.group(1)), m.group(2));
    }

    @Test
    void snapshotsTakenWhileFourClientsAppendRestoreToExactlyTheSourcesFirstCutSeqEvents() throws Exception {
        Path data = tmp.resolve("data");
        try (ServerProcess server = ServerProcess.start(data, "--segment-size", "64KiB")) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong appended = new AtomicLong();
            List<Thread> writers = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writers.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; !stop.get(); i++) {
                            StringBuilder body = new StringBuilder();
                            for (int k = 0; k <= i % 5; k++) body.append("{\"type\":\"T\",\"data\":{\"w\":").append(writer).append(",\"i\":").append(i)
                                    .append(",\"pad\":\"").append("x".repeat(120)).append("\"}}\n");
                            HttpResponse<String> r = server.post("/streams/w" + writer + "/" + (i % 3), body.toString());
                            if (r.statusCode() != 200) throw new AssertionError("append answered " + r.statusCode() + ": " + r.body());
                            appended.addAndGet(i % 5 + 1);
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            while (appended.get() < 1500) Thread.sleep(10);
            Path fromServer = tmp.resolve("from-server.tar"), fromDir = tmp.resolve("from-dir.tar");
            Esctl.Result a = Esctl.run((String) null, "snapshot", "--server", server.url(), "-o", fromServer.toString());
            assertEquals(0, a.exitCode(), a.stderr());
            Esctl.Result b = Esctl.run((String) null, "snapshot", "--data", data.toString(), "-o", fromDir.toString());
            assertEquals(0, b.exitCode(), b.stderr());
            long atStop = appended.get();
            stop.set(true);
            for (Thread t : writers) t.join();
            assertEquals(List.of(), failures);
            assertFalse(Files.exists(tmp.resolve("from-server.tar.tmp")), "no temp file is left");

            for (var s : List.of(java.util.Map.entry(fromServer, cutOf(a)), java.util.Map.entry(fromDir, cutOf(b)))) {
                Cut cut = s.getValue();
                assertTrue(cut.seq() > 0 && cut.seq() <= atStop, "cut " + cut.seq() + " within what was appended (" + atStop + ")");
                Path restored = tmp.resolve("restored-" + s.getKey().getFileName());
                Esctl.Result r = Esctl.run((String) null, "restore", s.getKey().toString(), "--data", restored.toString());
                assertEquals(0, r.exitCode(), r.stderr());
                assertTrue(r.stderr().contains("at seq " + cut.seq() + ", head hash " + cut.hash()), "restore reports the cut: " + r.stderr());

                Esctl.Result readRestored = Esctl.run((String) null, "read", "--data", restored.toString());
                assertEquals(0, readRestored.exitCode(), readRestored.stderr());
                assertEquals(cut.seq(), readRestored.lines().size());
                // `esctl read --server` prints this body byte for byte.
                String source = server.get("/events?limit=" + cut.seq()).body();
                assertEquals(source, readRestored.out(), "esctl read of the restored store equals the source's first " + cut.seq() + " events");

                Esctl.Result fsck = Esctl.run((String) null, "fsck", "--data", restored.toString());
                assertEquals(0, fsck.exitCode(), "fsck of the restored store: " + fsck.out() + fsck.stderr());
                assertTrue(fsck.out().contains("up to seq " + cut.seq() + ", head hash " + cut.hash()) && fsck.out().contains(": clean"),
                        "fsck finds the restored store clean, with the cut's head hash: " + fsck.out());
            }
        }
    }

    @Test
    void aSnapshotPipedThroughStdoutRestoresFromStdin() throws Exception {
        Path data = tmp.resolve("data");
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < 3000; i++) in.append("{\"stream\":\"p/").append(i % 11).append("\",\"type\":\"T\",\"data\":{\"i\":").append(i).append("}}\n");
        assertEquals(0, Esctl.run(in.toString(), "append", "--data", data.toString(), "--segment-size", "64KiB", "--batch-size", "100").exitCode());
        Path restored = tmp.resolve("restored");
        List<Process> pipeline = ProcessBuilder.startPipeline(List.of(
                Esctl.builder("snapshot", "--data", data.toString(), "-o", "-").redirectError(tmp.resolve("snap.err").toFile()),
                Esctl.builder("restore", "-", "--data", restored.toString()).redirectError(tmp.resolve("restore.err").toFile())));
        for (Process p : pipeline) {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("snap.err")) + Files.readString(tmp.resolve("restore.err")));
        }
        assertArrayEquals(Esctl.run((String) null, "read", "--data", data.toString()).stdout(), Esctl.run((String) null, "read", "--data", restored.toString()).stdout());
    }

    @Test
    void aTruncatedSnapshotIsRefusedWithExit7AndLeavesNothingBehind() throws Exception {
        Path data = tmp.resolve("data");
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < 2000; i++) in.append("{\"type\":\"T\",\"data\":{\"i\":").append(i).append(",\"pad\":\"").append("y".repeat(100)).append("\"}}\n");
        assertEquals(0, Esctl.run(in.toString(), "append", "s", "--data", data.toString(), "--segment-size", "64KiB").exitCode());
        Path snap = tmp.resolve("s.tar");
        assertEquals(0, Esctl.run((String) null, "snapshot", "--data", data.toString(), "-o", snap.toString()).exitCode());
        byte[] all = Files.readAllBytes(snap);
        Path cut = tmp.resolve("cut.tar");
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        Path restored = tmp.resolve("restored");
        Esctl.Result r = Esctl.run((String) null, "restore", cut.toString(), "--data", restored.toString());
        assertEquals(7, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("truncated"), r.stderr());
        assertFalse(Files.exists(restored));
        assertEquals(List.of("cut.tar", "data", "s.tar"), Stores.names(tmp), "no temporary directory is left");
    }

    @Test
    void getSnapshotStreamsATarWhoseHeadersNameTheCut() throws Exception {
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data"))) {
            server.post("/streams/a", "{\"type\":\"T\",\"data\":1}\n{\"type\":\"T\",\"data\":2}\n");
            var http = java.net.http.HttpClient.newHttpClient();
            HttpResponse<InputStream> r = http.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve("/snapshot")).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            assertEquals("application/x-tar", r.headers().firstValue("Content-Type").orElse(""));
            assertEquals("2", r.headers().firstValue("X-Esctl-Cut-Seq").orElse(""));
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            SnapshotManifest m;
            try (InputStream in = r.body()) {
                m = SnapshotReader.copy(in, copy, SnapshotWriter.Progress.NONE);
            }
            assertEquals(2, m.cutSeq());
            assertEquals(r.headers().firstValue("X-Esctl-Head-Hash").orElse(""), m.headHashHex());
            assertEquals(405, server.post("/snapshot", "").statusCode());
            assertTrue(new String(copy.toByteArray(), StandardCharsets.ISO_8859_1).contains("manifest.json"));
        }
    }
}
